// What the per-process shortcuts of the polling path must not change: a key is point-checked
// until it passes (an invalid one is refused every time), signatures are verified on every
// request, activity is still recorded (at most once a minute per poller), a ban's deletion of
// the activity row is seen at once, and permission changes apply to the very next request.
import { expectJson, expectText, forEachBackend, type TestUser } from './helpers';

const BAD_KEY = 'Invalid authentication: given X-SOGS-Pubkey is not a valid Ed25519 pubkey';
const BAD_SIGNATURE = 'Invalid authentication: X-SOGS-Signature verification failed';

forEachBackend('polling shortcuts', (h) => {
  const poll = (user: TestUser, room = 'activity') => h().get(`/room/${room}/messages/since/0`, user);
  const activeUsers = async (room = 'activity') => {
    await h().server.runJobs();
    return (await h().server.db.query<{ n: string }>('SELECT active_users AS n FROM rooms WHERE token = $1', [room])).rows[0].n;
  };
  const lastActive = async (user: TestUser) =>
    Number((await h().server.db.query<{ t: number }>('SELECT last_active AS t FROM users WHERE session_id = $1', [user.id])).rows[0].t);

  beforeAll(async () => {
    await h().admin.addRoom('activity');
  });

  it('refuses a key that is not a valid point on every request', async () => {
    const user = h().newUser();
    const headers = { 'X-SOGS-Pubkey': '150100000000000000000000000000000000000000000000000000000000000000' };
    for (let i = 0; i < 3; i++) expectText(await h().get('/inbox', user, { headers }), 400, BAD_KEY);
  });

  it('verifies the signature of every request from a remembered key', async () => {
    const user = h().newUser();
    expectJson(await poll(user));
    expectJson(await poll(user));
    const headers = h().sign(user, 'GET', '/room/activity/messages/since/0', Buffer.alloc(0));
    const sig = Buffer.from(headers['X-SOGS-Signature'], 'base64');
    sig[40] ^= 1;
    const res = await h().get('/room/activity/messages/since/0', null, { headers: { ...headers, 'X-SOGS-Signature': sig.toString('base64') } });
    expectText(res, 401, BAD_SIGNATURE);
  });

  it('records activity: once a minute per poller, again when time has passed', async () => {
    const a = h().newUser();
    const b = h().newUser();
    const before = Number(await activeUsers());
    expectJson(await poll(a));
    const first = await lastActive(a);
    expect(Number(await activeUsers())).toBe(before + 1);
    h().clock.advance(30);
    expectJson(await poll(a)); // within the minute: the stored time stays
    expect(await lastActive(a)).toBe(first);
    expectJson(await poll(b));
    expect(Number(await activeUsers())).toBe(before + 2);
    h().clock.advance(31);
    expectJson(await poll(a));
    expect(await lastActive(a)).toBe(first + 61);
    // Past the cutoff only the poller who came back counts.
    h().clock.advance(7 * 86400);
    expectJson(await poll(a));
    expect(await lastActive(a)).toBe(first + 61 + 7 * 86400);
    expect(Number(await activeUsers())).toBe(1);
  });

  it('records a poller again right after a ban removed their activity', async () => {
    const mod = h().newUser();
    await h().admin.addModerator(mod.id, ['activity']);
    h().clock.advance(8 * 86400); // everyone earlier is inactive
    const user = h().newUser();
    expectJson(await poll(user));
    expect(Number(await activeUsers())).toBe(1);
    expectJson(await h().post(`/user/${user.id}/ban`, mod, { rooms: ['activity'] }));
    expect(Number(await activeUsers())).toBe(0);
    expectJson(await h().post(`/user/${user.id}/unban`, mod, { rooms: ['activity'] }));
    expectJson(await poll(user));
    expect(Number(await activeUsers())).toBe(1);
  });

  it('applies permission changes and bans to the next request', async () => {
    const user = h().newUser();
    expectJson(await poll(user));
    await h().admin.setPermissions(['activity'], ['read'], false, [user.id]);
    expectText(await poll(user), 403, "This endpoint requires room message 'read' permission");
    await h().admin.setPermissions(['activity'], ['read'], null, [user.id]);
    expectJson(await poll(user));
    await h().admin.ban(user.id, null);
    expectText(await poll(user), 403, 'Banned');
    await h().admin.unban(user.id, null);
    expectJson(await poll(user));
  });

  it('answers a poll at the head with nothing, and the next poll with a later post', async () => {
    const user = h().newUser();
    const head = Math.max(0, ...expectJson(await poll(user)).map((m: { seqno: number }) => m.seqno));
    expect(expectJson(await h().get(`/room/activity/messages/since/${head}`, user))).toEqual([]);
    expect(expectJson(await h().get(`/room/activity/messages/since/${head + 5}`, user))).toEqual([]);
    const posted = await h().postMessage(user, 'activity');
    const after = expectJson(await h().get(`/room/activity/messages/since/${head}`, user));
    expect(after.map((m: { id: number }) => m.id)).toEqual([posted.id]);
  });
});
