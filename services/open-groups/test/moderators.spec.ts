// POST /user/:sid/moderator: room and global, visible and hidden, every flag combination.
import { expectJson, forEachBackend } from './helpers';

forEachBackend('moderators and admins', (h) => {
  it('adds, demotes and removes room moderators and admins with info_updates', async () => {
    const admin = h().newUser();
    await h().admin.addModerator(admin.id, ['room2'], { admin: true });
    const u = h().newUser();
    const info0 = expectJson(await h().get('/room/room2')).info_updates;
    const r1 = expectJson(await h().post(`/user/${u.id}/moderator`, admin, { rooms: ['room2'], moderator: true }));
    expect(r1).toEqual({ info_updates: { room2: info0 + 1 } });
    expect(expectJson(await h().get('/room/room2')).moderators).toContain(u.id);
    expectJson(await h().post(`/user/${u.id}/moderator`, admin, { rooms: ['room2'], admin: true }));
    let room = expectJson(await h().get('/room/room2'));
    expect(room.admins).toContain(u.id);
    expect(room.moderators).not.toContain(u.id);
    expectJson(await h().post(`/user/${u.id}/moderator`, admin, { rooms: ['room2'], admin: false }));
    room = expectJson(await h().get('/room/room2'));
    expect(room.moderators).toContain(u.id);
    expect(room.admins).not.toContain(u.id);
    expectJson(await h().post(`/user/${u.id}/moderator`, admin, { rooms: ['room2'], moderator: false }));
    room = expectJson(await h().get('/room/room2'));
    expect(room.moderators).not.toContain(u.id);
    expect(room.info_updates).toBe(info0 + 4);
  });

  it('hides hidden moderators from non-moderators', async () => {
    const admin = h().newUser();
    await h().admin.addModerator(admin.id, ['room2'], { admin: true });
    const hidden = h().newUser();
    expectJson(await h().post(`/user/${hidden.id}/moderator`, admin, { rooms: ['room2'], moderator: true, visible: false }));
    const anon = expectJson(await h().get('/room/room2'));
    expect(anon.moderators).not.toContain(hidden.id);
    expect(anon).not.toHaveProperty('hidden_moderators');
    const asAdmin = expectJson(await h().get('/room/room2', admin));
    expect(asAdmin.hidden_moderators).toContain(hidden.id);
    expect(asAdmin).toMatchObject({ moderator: true, admin: true, default_read: true, default_accessible: true, default_write: true, default_upload: true });
  });

  it('checks permissions and arguments', async () => {
    const mod = h().newUser();
    await h().admin.addModerator(mod.id, ['room2']);
    const u = h().newUser();
    expect((await h().post(`/user/${u.id}/moderator`, mod, { rooms: ['room2'], moderator: true })).status).toBe(403);
    expect((await h().post(`/user/${u.id}/moderator`, mod, { global: true, moderator: true })).status).toBe(403);
    const admin = h().newUser();
    await h().admin.addModerator(admin.id, ['room2'], { admin: true });
    expect((await h().post(`/user/${u.id}/moderator`, admin, { rooms: ['room2'], admin: true, moderator: false })).status).toBe(400);
    expect((await h().post(`/user/${u.id}/moderator`, admin, { rooms: ['room2'] })).status).toBe(400);
    expect((await h().post(`/user/${u.id}/moderator`, admin, { rooms: ['room2'], global: true, moderator: true })).status).toBe(400);
    expect((await h().post(`/user/${u.id}/moderator`, admin, { rooms: ['room2', 'test-room'], moderator: true })).status).toBe(403);
    expect((await h().post(`/user/${u.id}/moderator`, admin, { rooms: ['nope'], moderator: true })).status).toBe(404);
    expect(expectJson(await h().post(`/user/${u.id}/moderator`, admin, { rooms: ['*'], moderator: true })).info_updates).toHaveProperty('room2');
  });

  it('global admins appoint hidden global moderators, bumping every room', async () => {
    const gadmin = h().newUser();
    await h().admin.addModerator(gadmin.id, null, { admin: true });
    const u = h().newUser();
    const res = expectJson(await h().post(`/user/${u.id}/moderator`, gadmin, { global: true, moderator: true }));
    expect(Object.keys(res.info_updates).sort()).toEqual(['room2', 'test-room']);
    expect(expectJson(await h().get('/room/test-room')).moderators).not.toContain(u.id); // hidden by default
    expect(expectJson(await h().get('/room/test-room', gadmin)).hidden_moderators).toContain(u.id);
    expect(expectJson(await h().get('/room/test-room', u))).toMatchObject({ moderator: true, global_moderator: true });
    expectJson(await h().post(`/user/${u.id}/moderator`, gadmin, { global: true, moderator: true, visible: true }));
    expect(expectJson(await h().get('/room/test-room')).moderators).toContain(u.id);
  });
});
