// Pins: admin only, re-pin updates, info_updates moves, pinned list in the room object.
import { expectJson, forEachBackend } from './helpers';

forEachBackend('pins', (h) => {
  it('pins and unpins as admin only', async () => {
    const admin = h().newUser();
    const mod = h().newUser();
    await h().admin.addModerator(admin.id, ['room2'], { admin: true });
    await h().admin.addModerator(mod.id, ['room2']);
    const m1 = await h().postMessage(mod, 'room2');
    const m2 = await h().postMessage(mod, 'room2');
    const info0 = expectJson(await h().get('/room/room2')).info_updates;
    expect((await h().post(`/room/room2/pin/${m1.id}`, mod, {})).status).toBe(403);
    expect(expectJson(await h().post(`/room/room2/pin/${m1.id}`, admin, {}))).toEqual({ info_updates: info0 + 1 });
    h().clock.advance(1);
    expectJson(await h().post(`/room/room2/pin/${m2.id}`, admin, {}));
    h().clock.advance(1);
    expectJson(await h().post(`/room/room2/pin/${m1.id}`, admin, {})); // re-pin moves it last
    const room = expectJson(await h().get('/room/room2'));
    expect(room.pinned_messages.map((p: any) => p.id)).toEqual([m2.id, m1.id]);
    expect(room.pinned_messages[0]).toEqual({ id: m2.id, pinned_at: expect.any(Number), pinned_by: admin.id });
    expect(room.info_updates).toBe(info0 + 3);
    expect(expectJson(await h().post(`/room/room2/unpin/${m2.id}`, admin, {}))).toEqual({ unpinned: true, info_updates: info0 + 4 });
    expect(expectJson(await h().post(`/room/room2/unpin/${m2.id}`, admin, {}))).toEqual({ unpinned: false, info_updates: info0 + 4 });
    expect(expectJson(await h().post('/room/room2/unpin/all', admin, {}))).toEqual({ unpinned: 1, info_updates: info0 + 5 });
    expect(expectJson(await h().get('/room/room2'))).not.toHaveProperty('pinned_messages');
    expect((await h().post('/room/room2/pin/999999', admin, {})).status).toBe(404);
  });

  it('deleting a pinned message unpins it', async () => {
    const admin = h().newUser();
    await h().admin.addModerator(admin.id, ['test-room'], { admin: true });
    const msg = await h().postMessage(admin);
    expectJson(await h().post(`/room/test-room/pin/${msg.id}`, admin, {}));
    await h().del(`/room/test-room/message/${msg.id}`, admin);
    expect(expectJson(await h().get('/room/test-room'))).not.toHaveProperty('pinned_messages');
  });
});
