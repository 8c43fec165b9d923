// A 05 id that is no X25519 key cannot be mapped to blinded ids: an admin action naming it is the
// caller's mistake (400 with the reason), never a server error.
import { capturingLogger, ERROR_LEVEL, expectText, forEachBackend } from './helpers';

const NOT_A_KEY = `05${'00'.repeat(32)}`;
const { logger, lines } = capturingLogger();

forEachBackend(
  'admin actions on a 05 id that is not a key',
  (h) => {
    it('answers 400 to moderator, ban and unban', async () => {
      const gadmin = h().newUser();
      await h().admin.addModerator(gadmin.id, null, { admin: true });
      const reason = `not a valid Session ID: ${NOT_A_KEY} is no X25519 public key`;
      expectText(await h().post(`/user/${NOT_A_KEY}/moderator`, gadmin, { global: true, moderator: true }), 400, reason);
      expectText(await h().post(`/user/${NOT_A_KEY}/ban`, gadmin, { global: true }), 400, reason);
      expectText(await h().post(`/user/${NOT_A_KEY}/unban`, gadmin, { rooms: ['room2'] }), 400, reason);
      await expect(h().admin.ban(NOT_A_KEY, ['room2'])).rejects.toThrow(reason);
      expect(lines.filter((l) => l.level >= ERROR_LEVEL)).toEqual([]);
    });
  },
  { logger },
);
