// A file that became the room image stays when the post that carried it goes away (deleted on its
// own, with all of the poster's posts, or unpinned): the room still shows it. Upstream's own
// comment says a delete-all should not wipe the room image; its trigger does.
import { expectJson, forEachBackend, type Harness, type TestUser } from './helpers';

async function imageFromPost(h: Harness, admin: TestUser, room: string): Promise<{ file: number; msg: number }> {
  const file = expectJson(await h.request('POST', `/room/${room}/file`, admin, { body: 'image bytes' }), 201).id;
  const msg = await h.postMessage(admin, room, undefined, { files: [file] });
  expectJson(await h.put(`/room/${room}`, admin, { image: file }));
  return { file, msg: msg.id };
}

async function expectImageServed(h: Harness, room: string, file: number): Promise<void> {
  h.clock.advance(3600 * 24 * 30); // well past any attachment lifetime
  await h.server.runJobs();
  expect(expectJson(await h.get(`/room/${room}`)).image_id).toBe(file);
  expect((await h.get(`/room/${room}/file/${file}`)).body.toString()).toBe('image bytes');
}

forEachBackend('room image outlives its post', (h) => {
  it('when the post is deleted', async () => {
    const admin = h().newUser();
    await h().admin.addModerator(admin.id, ['test-room'], { admin: true });
    const { file, msg } = await imageFromPost(h(), admin, 'test-room');
    expectJson(await h().del(`/room/test-room/message/${msg}`, admin));
    await expectImageServed(h(), 'test-room', file);
  });

  it('when all of the poster’s posts are deleted', async () => {
    const admin = h().newUser();
    await h().admin.addModerator(admin.id, ['room2'], { admin: true });
    const { file } = await imageFromPost(h(), admin, 'room2');
    expectJson(await h().del(`/rooms/all/${admin.id}`, admin));
    await expectImageServed(h(), 'room2', file);
  });

  it('when the post was pinned and is unpinned', async () => {
    await h().admin.addRoom('pinned-image');
    const admin = h().newUser();
    await h().admin.addModerator(admin.id, ['pinned-image'], { admin: true });
    const { file, msg } = await imageFromPost(h(), admin, 'pinned-image');
    expectJson(await h().post(`/room/pinned-image/pin/${msg}`, admin, {}));
    expectJson(await h().post(`/room/pinned-image/unpin/${msg}`, admin, {}));
    await expectImageServed(h(), 'pinned-image', file);
  });
});
