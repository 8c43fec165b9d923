// PUT /room/:token and pollInfo: metadata changes move info_updates, details only when stale.
import { expectJson, forEachBackend } from './helpers';

forEachBackend('room info and pollInfo', (h) => {
  it('updates name and description with sanitising, admin only', async () => {
    const admin = h().newUser();
    const mod = h().newUser();
    await h().admin.addModerator(admin.id, ['test-room'], { admin: true });
    await h().admin.addModerator(mod.id, ['test-room']);
    const info0 = expectJson(await h().get('/room/test-room')).info_updates;
    expect((await h().put('/room/test-room', mod, { name: 'x' })).status).toBe(403);
    expect(expectJson(await h().put('/room/test-room', admin, { name: 'Best\u0007 room 🎉', description: 'line1\nline2\u0001' }))).toEqual({ info_updates: info0 + 1 });
    const room = expectJson(await h().get('/room/test-room'));
    expect(room).toMatchObject({ name: 'Best room 🎉', description: 'line1\nline2', info_updates: info0 + 1 });
    expectJson(await h().put('/room/test-room', admin, { description: '' }));
    expect(expectJson(await h().get('/room/test-room'))).not.toHaveProperty('description');
    for (const bad of [{}, { name: 5 }, { description: 3 }, { default_write: 'yes' }]) {
      expect((await h().put('/room/test-room', admin, bad)).status).toBe(400);
    }
    // Default permissions are room details too (moderators see them): info_updates moves.
    const before = expectJson(await h().get('/room/test-room')).info_updates;
    expectJson(await h().put('/room/test-room', admin, { default_upload: false }));
    const after = expectJson(await h().get('/room/test-room', admin));
    expect(after.info_updates).toBe(before + 1);
    expect(after.default_upload).toBe(false);
    expectJson(await h().put('/room/test-room', admin, { default_upload: true }));
  });

  it('includes details only when info_updates differs, and records activity', async () => {
    const user = h().newUser();
    const current = expectJson(await h().get('/room/room2')).info_updates;
    const same = expectJson(await h().get(`/room/room2/pollInfo/${current}`, user));
    expect(same).toEqual({ token: 'room2', active_users: expect.any(Number), read: true, write: true, upload: true });
    const stale = expectJson(await h().get('/room/room2/pollInfo/99999', user));
    expect(stale.details).toMatchObject({ token: 'room2', info_updates: current });
    await h().server.runJobs();
    expect(expectJson(await h().get('/room/room2')).active_users).toBeGreaterThanOrEqual(1);
  });
});
