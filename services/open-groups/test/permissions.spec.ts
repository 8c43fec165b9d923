// Permission overrides, accessible vs read, and scheduled (future) permission changes.
import { expectJson, forEachBackend } from './helpers';

forEachBackend('permissions', (h) => {
  it('hides inaccessible rooms and 403s reading in accessible-only rooms', async () => {
    const room = 'private';
    await h().admin.addRoom(room);
    await h().admin.setPermissions([room], ['read', 'write', 'upload', 'accessible'], false);
    const friend = h().newUser();
    const stranger = h().newUser();
    await h().admin.setPermissions([room], ['read', 'write'], true, [friend.id]);
    expect((await h().get(`/room/${room}`, stranger)).status).toBe(404);
    expect(expectJson(await h().get('/rooms', stranger)).map((r: any) => r.token)).not.toContain(room);
    expect(expectJson(await h().get(`/room/${room}`, friend))).toMatchObject({ read: true, write: true, upload: false });
    await h().postMessage(friend, room);
    await h().admin.setPermissions([room], ['accessible'], true, [stranger.id]);
    expect(expectJson(await h().get(`/room/${room}`, stranger))).toMatchObject({ read: false, write: false });
    expect((await h().get(`/room/${room}/messages/recent`, stranger)).status).toBe(403);
    await h().admin.deleteRoom(room);
    expect((await h().get(`/room/${room}`, friend)).status).toBe(404);
  });

  it('moderators set, read and clear overrides', async () => {
    const mod = h().newUser();
    await h().admin.addModerator(mod.id, ['room2']);
    const user = h().newUser();
    expect((await h().get('/room/room2/permissions', user)).status).toBe(403);
    expect(expectJson(await h().post(`/room/room2/permissions/${user.id}`, mod, { write: false, upload: false }))).toEqual({ write: false, upload: false });
    expect(expectJson(await h().get(`/room/room2/permissions/${user.id}`, mod))).toEqual({ write: false, upload: false });
    expect(expectJson(await h().get('/room/room2/permissions', mod))[user.id]).toEqual({ write: false, upload: false });
    expect(expectJson(await h().get('/room/room2', user))).toMatchObject({ read: true, write: false, upload: false });
    expect((await h().post(`/room/room2/permissions/${user.id}`, mod, { write: true, default_write: true })).status).toBe(400);
    expect(expectJson(await h().post(`/room/room2/permissions/${user.id}`, mod, { default_write: true, default_upload: true }))).toEqual({});
    expect(expectJson(await h().get('/room/room2/permissions', mod))).not.toHaveProperty(user.id);
  });

  it('applies a scheduled mute lift (future permission) via /sequence', async () => {
    const mod = h().newUser();
    await h().admin.addModerator(mod.id, ['room2']);
    const user = h().newUser();
    const seq = expectJson(
      await h().post('/sequence', mod, [
        { method: 'POST', path: `/room/room2/permissions/${user.id}`, json: { write: false } },
        { method: 'POST', path: `/room/room2/futurePermissions/${user.id}`, json: { write: true, in: 3600 } },
      ]),
    );
    expect(seq.map((r: any) => r.code)).toEqual([200, 200]);
    expect(seq[1].body).toEqual([{ at: h().clock.now() + 3600, write: true }]);
    expect(expectJson(await h().get('/room/room2/futurePermissions', mod))).toEqual([{ session_id: user.id, at: h().clock.now() + 3600, write: true }]);
    expect(expectJson(await h().get('/room/room2', user)).write).toBe(false);
    h().clock.advance(3601);
    await h().server.runJobs();
    expect(expectJson(await h().get('/room/room2', user)).write).toBe(true);
    // Equal to the room default, so stored as "use default" and the override row disappears.
    expect(expectJson(await h().get('/room/room2/permissions', mod))).not.toHaveProperty(user.id);
    expect((await h().post(`/room/room2/futurePermissions/${user.id}`, mod, { write: true, in: 0 })).status).toBe(400);
    expect((await h().post(`/room/room2/futurePermissions/${user.id}`, mod, { in: 10 })).status).toBe(400);
  });
});
