// A globally banned user is refused (403 "Banned") before the signature is even checked.
import { expectJson, expectText, forEachBackend } from './helpers';

forEachBackend('auth global ban', (h) => {
  it('refuses every authenticated request of a banned user, anonymous still works', async () => {
    const user = h().newUser();
    expect((await h().get('/inbox', user)).status).toBe(200);
    await h().admin.ban(user.id, null);
    expectText(await h().get('/room/test-room', user), 403, 'Banned');
    expectText(await h().get('/inbox', user, { signPath: '/wrong' }), 403, 'Banned');
    expect(expectJson(await h().get('/room/test-room')).token).toBe('test-room');
    await h().admin.unban(user.id, null);
    expect((await h().get('/inbox', user)).status).toBe(200);
  });
});
