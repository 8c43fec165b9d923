// Posting and the polling endpoints: message shape, since/recent/before/single, paging by seqno.
import { expectJson, expectText, forEachBackend } from './helpers';

const sig = Buffer.alloc(64, 1).toString('base64');

forEachBackend('posting and polling', (h) => {
  it('posts with 201 and the v3 message object', async () => {
    const user = h().newUser();
    const data = Buffer.from('hello world');
    const res = await h().post('/room/test-room/message', user, { data: data.toString('base64'), signature: sig });
    const msg = expectJson(res, 201);
    expect(msg).toEqual({ id: expect.any(Number), session_id: user.id, posted: expect.any(Number), seqno: expect.any(Number), data: data.toString('base64'), signature: sig, reactions: {} });
    expect(msg.seqno).toBeGreaterThanOrEqual(1);
    expect(expectJson(await h().get(`/room/test-room/message/${msg.id}`))).toEqual(msg);
  });

  it('rejects bad bodies with 400', async () => {
    const user = h().newUser();
    expect((await h().post('/room/test-room/message', user, { data: 'aGk=', signature: Buffer.alloc(63).toString('base64') })).status).toBe(400);
    expect((await h().post('/room/test-room/message', user, { signature: sig })).status).toBe(400);
    expect((await h().post('/room/test-room/message', user, { data: '!!!', signature: sig })).status).toBe(400);
    expect((await h().request('POST', '/room/test-room/message', user, { body: 'not json' })).status).toBe(400);
  });

  it('accepts unpadded base64', async () => {
    const user = h().newUser();
    const res = await h().post('/room/room2/message', user, { data: 'aGk', signature: sig.replace(/=+$/, '') });
    expect(expectJson(res, 201).data).toBe('aGk=');
  });

  it('returns changes after a seqno in order, paging with limit', async () => {
    const user = h().newUser();
    const start = expectJson(await h().get('/room/room2')).message_sequence;
    const posted = [];
    for (let i = 0; i < 4; i++) posted.push(await h().postMessage(h().newUser(), 'room2'));
    const page1 = expectJson(await h().get(`/room/room2/messages/since/${start}?limit=2`, user));
    expect(page1.map((m: any) => m.id)).toEqual(posted.slice(0, 2).map((m) => m.id));
    const page2 = expectJson(await h().get(`/room/room2/messages/since/${page1[1].seqno}?limit=2`, user));
    expect(page2.map((m: any) => m.id)).toEqual(posted.slice(2).map((m) => m.id));
    expect(expectJson(await h().get(`/room/room2/messages/since/${page2[1].seqno}`, user))).toEqual([]);
  });

  it('recent and before return live messages newest first', async () => {
    const posted = [];
    for (let i = 0; i < 3; i++) posted.push(await h().postMessage(h().newUser(), 'room2'));
    const recent = expectJson(await h().get('/room/room2/messages/recent?limit=3'));
    expect(recent.map((m: any) => m.id)).toEqual(posted.map((m) => m.id).reverse());
    const before = expectJson(await h().get(`/room/room2/messages/before/${posted[2].id}?limit=2`));
    expect(before.map((m: any) => m.id)).toEqual([posted[1].id, posted[0].id]);
    expect((await h().get('/room/room2/messages/recent?limit=abc')).status).toBe(400);
    expect(expectJson(await h().get('/room/room2/messages/recent?limit=0')).length).toBe(1); // clamped to 1
  });

  it('edits: author only, new seqno, edited timestamp, visible in since', async () => {
    const author = h().newUser();
    const other = h().newUser();
    const msg = await h().postMessage(author);
    h().clock.advance(5);
    const newData = Buffer.from('edited').toString('base64');
    expectText(await h().put(`/room/test-room/message/${msg.id}`, other, { data: newData, signature: sig }), 403);
    expect(expectJson(await h().put(`/room/test-room/message/${msg.id}`, author, { data: newData, signature: sig }))).toEqual({});
    const after = expectJson(await h().get(`/room/test-room/message/${msg.id}`));
    expect(after.data).toBe(newData);
    expect(after.seqno).toBeGreaterThan(msg.seqno);
    expect(after.edited).toBeGreaterThan(msg.posted);
    const since = expectJson(await h().get(`/room/test-room/messages/since/${msg.seqno}`));
    expect(since.find((m: any) => m.id === msg.id).data).toBe(newData);
    expect((await h().put(`/room/test-room/message/999999`, author, { data: newData, signature: sig })).status).toBe(404);
  });

  it('deletes own posts, leaves tombstones only for pollers that could know the message', async () => {
    const author = h().newUser();
    const before = expectJson(await h().get('/room/test-room')).message_sequence;
    const msg = await h().postMessage(author);
    const other = h().newUser();
    expectText(await h().del(`/room/test-room/message/${msg.id}`, other), 403);
    expect(expectJson(await h().del(`/room/test-room/message/${msg.id}`, author))).toEqual({});
    expect((await h().get(`/room/test-room/message/${msg.id}`)).status).toBe(404);
    expect((await h().del(`/room/test-room/message/${msg.id}`, author)).status).toBe(404);
    // A poller that saw the post gets a tombstone...
    const sinceSeen = expectJson(await h().get(`/room/test-room/messages/since/${msg.seqno}`));
    expect(sinceSeen).toContainEqual({ id: msg.id, session_id: author.id, posted: msg.posted, seqno: expect.any(Number), data: null, deleted: true });
    // ...one that never saw it gets nothing for it.
    const sinceBefore = expectJson(await h().get(`/room/test-room/messages/since/${before}`));
    expect(sinceBefore.find((m: any) => m.id === msg.id)).toBeUndefined();
    expect(expectJson(await h().get('/room/test-room/messages/recent')).find((m: any) => m.id === msg.id)).toBeUndefined();
  });

  it('counts message_sequence for posts, edits and deletes but not info_updates', async () => {
    const user = h().newUser();
    const r0 = expectJson(await h().get('/room/test-room'));
    const msg = await h().postMessage(user);
    await h().put(`/room/test-room/message/${msg.id}`, user, { data: 'eA==', signature: sig });
    await h().del(`/room/test-room/message/${msg.id}`, user);
    const r1 = expectJson(await h().get('/room/test-room'));
    expect(r1.message_sequence).toBe(r0.message_sequence + 3);
    expect(r1.info_updates).toBe(r0.info_updates);
  });
});
