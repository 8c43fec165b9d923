// Blinded identities: published derivation vectors, and the 05 -> 15/25 hand-over of roles.
import { blind15Id, blind15IdsFromSessionId, fromHex, ready } from '@starling/crypto';
import { blindedAbs } from '../src/users/users.model';
import { expectJson, forEachBackend } from './helpers';

// pysogs tests/test_blinding.py (reference §2.9 B): Ed25519 seed -> 15 id, fixed server key.
const SERVER_PK = '6a32c7b491f4199dd1260a4cc60ae51c6bd71dad939cc521e738409f53f943be';
const VECTORS = [
  ['880adf5164a79bce71f7387fbc2cb2693c0bf0ab4cb42bf1edafddade7527a66', '15cef185d46b60a548641bd8c5baa4b7cf90b7da8e883c0ac774c703d249086479'],
  ['67416582e0700081604860d270bc986011fc5e62c53de908a9a5af2cb497c528', '15f8fbeb20cdde5e0cc0ec84e0b3705ca6090c7b23e8132589970473a5592ba388'],
  ['a5ad71709cfa315d147921e377186270367fd06926f4dbfe33f519dec6b016f7', '15758e10dc51210d7a36ea6076e2aa84d9f87283bddb508364272dce0a7618f92a'],
];

describe('blinded id vectors', () => {
  beforeAll(() => ready());
  it.each(VECTORS)('seed %s blinds to %s', (seed, id) => {
    expect(blind15Id(fromHex(seed), fromHex(SERVER_PK))).toBe(id);
  });
  it('maps both sign variants to one key', () => {
    const [pos, neg] = blind15IdsFromSessionId('05fe94b7ad4b7f1cc1bb92671f1f0d243f226e115b33770465e82b503fc3e96e1f', fromHex('abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789'));
    expect(pos).toBe('15b74ed205f1f931e1bb1291183778a9456b835937d923b0f2e248aa3a44c07844');
    expect(blindedAbs(neg)).toBe(blindedAbs(pos));
  });
});

forEachBackend('blinding hand-over', (h) => {
  it.each(['blind15', 'blind25'] as const)('roles given to a 05 id move to its %s id on first connect', async (blinding) => {
    const person = h().newUser(blinding);
    await h().admin.addModerator(person.sessionId, ['room2']);
    await h().admin.setPermissions(['test-room'], ['upload'], false, [person.sessionId]);
    // Before they connect, the 05 id holds the role.
    expect(expectJson(await h().get('/room/room2', h().newUser())).moderators).toContain(person.sessionId);
    const room = expectJson(await h().get('/room/room2', person));
    expect(room.moderator).toBe(true);
    expect(room.moderators).toContain(person.id);
    expect(room.moderators).not.toContain(person.sessionId);
    expect(expectJson(await h().get('/room/test-room', person)).upload).toBe(false);
  });

  it('a 05 id targets the existing blinded user', async () => {
    const person = h().newUser();
    await h().get('/inbox', person);
    const admin = h().newUser();
    await h().admin.addModerator(admin.id, ['room2'], { admin: true });
    expectJson(await h().post(`/user/${person.sessionId}/moderator`, admin, { rooms: ['room2'], moderator: true }));
    expect(expectJson(await h().get('/room/room2')).moderators).toContain(person.id);
  });
});
