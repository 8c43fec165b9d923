// A user banned from a room is told so on message reads and writes (403 with upstream's texts),
// while a room they may not see at all, and the room's own details, stay 404 as upstream has them.
import { expectText, forEachBackend } from './helpers';

const READ_REFUSAL = "This endpoint requires room message 'read' permission";

forEachBackend('banned user refused with 403', (h) => {
  it('refuses every message read with the read-permission text', async () => {
    const poster = h().newUser();
    const msg = await h().postMessage(poster, 'room2');
    const user = h().newUser();
    await h().admin.ban(user.id, ['room2']);
    for (const path of [
      '/room/room2/messages/recent',
      '/room/room2/messages/since/0',
      `/room/room2/messages/before/${msg.id + 1}`,
      `/room/room2/message/${msg.id}`,
      '/room/room2/pollInfo/0',
      `/room/room2/reactors/${msg.id}/x`,
    ]) {
      expectText(await h().get(path, user), 403, READ_REFUSAL);
    }
    expectText(await h().put(`/room/room2/reaction/${msg.id}/x`, user, {}), 403, READ_REFUSAL);
  });

  it('refuses posting, editing, deleting and uploading with "Permission denied"', async () => {
    const user = h().newUser();
    const own = await h().postMessage(user, 'room2');
    await h().admin.ban(user.id, ['room2']);
    const body = { data: 'aGk=', signature: Buffer.alloc(64).toString('base64') };
    expectText(await h().post('/room/room2/message', user, body), 403, 'Permission denied');
    expectText(await h().put(`/room/room2/message/${own.id}`, user, body), 403, 'Permission denied');
    expectText(await h().del(`/room/room2/message/${own.id}`, user), 403, 'Permission denied');
    expectText(await h().request('POST', '/room/room2/file', user, { body: 'file' }), 403, 'Permission denied');
    // Elsewhere they are not banned.
    await h().postMessage(user, 'test-room');
  });

  it('keeps 404 for the room object, and for a room a user may not see at all', async () => {
    const banned = h().newUser();
    await h().admin.ban(banned.id, ['room2']);
    expect((await h().get('/room/room2', banned)).status).toBe(404);
    await h().admin.addRoom('hidden-room');
    await h().admin.setPermissions(['hidden-room'], ['read', 'accessible'], false);
    const outsider = h().newUser();
    for (const path of ['/room/hidden-room', '/room/hidden-room/messages/recent', '/room/hidden-room/pollInfo/0']) {
      expect((await h().get(path, outsider)).status).toBe(404);
    }
    expect((await h().post('/room/hidden-room/message', outsider, { data: 'aGk=', signature: Buffer.alloc(64).toString('base64') })).status).toBe(404);
  });
});
