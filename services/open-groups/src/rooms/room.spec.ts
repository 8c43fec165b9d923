// Who may do what in a room (upstream's check_permission): admin > moderator > not banned AND
// (override ?? room default); upload needs write; read makes a room accessible.
import type { User } from '../users/user';
import { NO_OVERRIDE, resolveAccess, type Override, type Room } from './room';

const room = (defaults: Partial<Room['defaults']> = {}): Room => ({
  id: 1,
  token: 'lobby',
  name: 'Lobby',
  description: null,
  imageId: null,
  created: 0,
  messageSequence: 0,
  infoUpdates: 0,
  activeUsers: 0,
  defaults: { read: true, accessible: true, write: true, upload: true, ...defaults },
});
const user = (roles: Partial<User> = {}): User => ({ id: 7, sessionId: `15${'00'.repeat(32)}`, banned: false, moderator: false, admin: false, visibleMod: false, ...roles });
const override = (o: Partial<Override>): Override => ({ ...NO_OVERRIDE, ...o });

describe('resolveAccess', () => {
  it('gives an anonymous reader the room defaults, upload only with write', () => {
    expect(resolveAccess(room({ write: false }), null, NO_OVERRIDE)).toMatchObject({ read: true, write: false, upload: false, moderator: false });
  });

  it('lets an override win over the default, and null fall back to it', () => {
    const r = room({ read: false, accessible: false });
    expect(resolveAccess(r, user(), override({ read: true }))).toMatchObject({ read: true, accessible: true });
    expect(resolveAccess(r, user(), override({ read: null }))).toMatchObject({ read: false, accessible: false });
    // Overrides need a user: an anonymous caller only gets defaults.
    expect(resolveAccess(r, null, override({ read: true }))).toMatchObject({ read: false });
  });

  it('takes everything from a room or global ban, but never from a moderator', () => {
    expect(resolveAccess(room(), user(), override({ banned: true }))).toMatchObject({ read: false, write: false, accessible: false, banned: true });
    expect(resolveAccess(room(), user({ banned: true }), NO_OVERRIDE)).toMatchObject({ read: false, banned: true });
    expect(resolveAccess(room({ read: false }), user(), override({ banned: true, moderator: true }))).toMatchObject({ read: true, write: true, banned: false, moderator: true });
  });

  it('makes admins moderators, and global roles count in every room', () => {
    expect(resolveAccess(room(), user(), override({ admin: true }))).toMatchObject({ admin: true, moderator: true, globalAdmin: false });
    expect(resolveAccess(room(), user({ moderator: true, admin: true }), NO_OVERRIDE)).toMatchObject({ admin: true, moderator: true, globalModerator: true, globalAdmin: true });
    expect(resolveAccess(room(), user({ moderator: true }), NO_OVERRIDE)).toMatchObject({ admin: false, moderator: true, globalModerator: true });
  });
});
