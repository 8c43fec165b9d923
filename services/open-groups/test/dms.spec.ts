// Blinded direct messages: inbox/outbox, since with 304, deletion, expiry and bans.
import { expectJson, expectText, forEachBackend } from './helpers';

forEachBackend('direct messages', (h) => {
  it('sends, lists and deletes', async () => {
    const alice = h().newUser();
    const bob = h().newUser();
    expect(expectJson(await h().get('/inbox', bob))).toEqual([]);
    const body = Buffer.from('ciphertext').toString('base64');
    const sent = expectJson(await h().post(`/inbox/${bob.id}`, alice, { message: body }), 201);
    const now = h().clock.now();
    expect(sent).toEqual({ id: expect.any(Number), posted_at: now, expires_at: now + 15 * 86400, sender: alice.id, recipient: bob.id });
    expect(expectJson(await h().get('/inbox', bob))).toEqual([{ ...sent, message: body }]);
    expect(expectJson(await h().get('/outbox', alice))).toEqual([{ ...sent, message: body }]);
    expect(expectJson(await h().get(`/inbox/since/${sent.id - 1}`, bob))).toHaveLength(1);
    const none = await h().get(`/inbox/since/${sent.id}`, bob);
    expect(none.status).toBe(304);
    expect(none.body.length).toBe(0);
    expect(expectJson(await h().del('/inbox', bob))).toEqual({ deleted: 1 });
    expect(expectJson(await h().del('/inbox', bob))).toEqual({ deleted: 0 });
  });

  it('404s unknown or banned recipients, 400s a missing message', async () => {
    const alice = h().newUser();
    const stranger = h().newUser();
    expect((await h().post(`/inbox/${stranger.id}`, alice, { message: 'aGk=' })).status).toBe(404);
    const banned = h().newUser();
    await h().get('/inbox', banned);
    await h().admin.ban(banned.id, null);
    expect((await h().post(`/inbox/${banned.id}`, alice, { message: 'aGk=' })).status).toBe(404);
    expectText(await h().get('/inbox', banned), 403, 'Banned');
    await h().get('/inbox', stranger);
    expect((await h().post(`/inbox/${stranger.id}`, alice, {})).status).toBe(400);
    expect((await h().post(`/inbox/05${stranger.id.slice(2)}`, alice, { message: 'aGk=' })).status).toBe(404); // not a blinded id
  });

  it('drops expired messages in the cleanup job', async () => {
    const alice = h().newUser();
    const bob = h().newUser();
    await h().get('/inbox', bob);
    await h().post(`/inbox/${bob.id}`, alice, { message: 'aGk=' });
    h().clock.advance(15 * 86400 + 1);
    await h().server.runJobs();
    const rows = await h().server.db.query('SELECT 1 FROM inbox i JOIN users u ON u.id = i.recipient WHERE u.session_id = $1', [bob.id]);
    expect(rows.rowCount).toBe(0);
  });
});
