// Blinding is required by default: 00 keys get the exact text Session clients switch on.
import { expectJson, expectText, forEachBackend } from './helpers';

forEachBackend('auth unblinded refused', (h) => {
  it('refuses 00 authentication with the blinding text', async () => {
    const user = h().newUser('unblinded');
    expectText(await h().get('/room/test-room', user), 400, 'Invalid authentication: this server requires the use of blinded ids');
  });
});

forEachBackend(
  'auth unblinded allowed',
  (h) => {
    it('maps a 00 key to its 05 Session ID when blinding is off', async () => {
      const user = h().newUser('unblinded');
      const msg = await h().postMessage(user);
      expect(msg.session_id).toBe(user.sessionId);
      expect(expectJson(await h().get('/capabilities')).capabilities).not.toContain('blind');
      // Blinded-only endpoints still refuse an unblinded user.
      expectText(await h().get('/inbox', user), 401, 'This endpoint requires blinded pubkeys be used');
    });
  },
  { requireBlinding: false },
);
