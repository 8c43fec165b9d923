// A post edited and later deleted keeps its `edited` time in the update stream, as upstream's data
// model has it: the tombstone says what the post was, not what it said.
import { expectJson, forEachBackend } from './helpers';

forEachBackend('edited then deleted', (h) => {
  it('keeps `edited` on the tombstone in since results', async () => {
    const author = h().newUser();
    const msg = await h().postMessage(author);
    h().clock.advance(5);
    expectJson(await h().put(`/room/test-room/message/${msg.id}`, author, { data: 'eA==', signature: Buffer.alloc(64).toString('base64') }));
    const edited = expectJson(await h().get(`/room/test-room/message/${msg.id}`)).edited;
    expect(edited).toBe(msg.posted + 5);
    h().clock.advance(5);
    expectJson(await h().del(`/room/test-room/message/${msg.id}`, author));
    const since = expectJson(await h().get(`/room/test-room/messages/since/${msg.seqno}`));
    expect(since.find((m: any) => m.id === msg.id)).toEqual({
      id: msg.id,
      session_id: author.id,
      posted: msg.posted,
      seqno: expect.any(Number),
      data: null,
      deleted: true,
      edited,
    });
  });
});
