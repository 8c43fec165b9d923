// Bans and unbans: room and global, permission rules, timed bans lifted by the cleanup job.
import { expectJson, expectText, forEachBackend } from './helpers';

forEachBackend('bans', (h) => {
  it('room ban blocks posting and reading in that room only; unban restores', async () => {
    const mod = h().newUser();
    await h().admin.addModerator(mod.id, ['room2']);
    const user = h().newUser();
    await h().postMessage(user, 'room2');
    expect(expectJson(await h().post(`/user/${user.id}/ban`, mod, { rooms: ['room2'] }))).toEqual({});
    // Posting is refused as upstream refuses it (403); the room itself is not shown to them (404).
    expectText(await h().post('/room/room2/message', user, { data: 'aGk=', signature: Buffer.alloc(64).toString('base64') }), 403, 'Permission denied');
    expect((await h().get('/room/room2', user)).status).toBe(404);
    await h().postMessage(user, 'test-room');
    expect(expectJson(await h().post(`/user/${user.id}/unban`, mod, { rooms: ['room2'] }))).toEqual({});
    await h().postMessage(user, 'room2');
  });

  it('enforces who may ban whom', async () => {
    const mod = h().newUser();
    const mod2 = h().newUser();
    const user = h().newUser();
    await h().admin.addModerator(mod.id, ['room2']);
    await h().admin.addModerator(mod2.id, ['room2']);
    expect((await h().post(`/user/${mod.id}/ban`, mod, { rooms: ['room2'] })).status).toBe(403); // self
    expect((await h().post(`/user/${mod2.id}/ban`, mod, { rooms: ['room2'] })).status).toBe(403); // mod needs admin
    expect((await h().post(`/user/${mod.id}/ban`, user, { rooms: ['room2'] })).status).toBe(403);
    expect((await h().post(`/user/${user.id}/ban`, mod, { global: true })).status).toBe(403);
    const gmod = h().newUser();
    await h().admin.addModerator(gmod.id, null);
    expect((await h().post(`/user/${gmod.id}/ban`, mod, { rooms: ['room2'] })).status).toBe(403);
  });

  it('global timed ban ends when the cleanup job runs after the timeout', async () => {
    const gmod = h().newUser();
    await h().admin.addModerator(gmod.id, null);
    const user = h().newUser();
    expect((await h().get('/inbox', user)).status).toBe(200);
    expectJson(await h().post(`/user/${user.id}/ban`, gmod, { global: true, timeout: 60 }));
    expectText(await h().get('/inbox', user), 403, 'Banned');
    await h().server.runJobs();
    expectText(await h().get('/inbox', user), 403, 'Banned');
    h().clock.advance(61);
    await h().server.runJobs();
    expect((await h().get('/inbox', user)).status).toBe(200);
  });

  it('a permanent re-ban cancels a scheduled unban', async () => {
    const mod = h().newUser();
    await h().admin.addModerator(mod.id, ['test-room']);
    const user = h().newUser();
    await h().post(`/user/${user.id}/ban`, mod, { rooms: ['test-room'], timeout: 10 });
    expect(expectJson(await h().get(`/room/test-room/futurePermissions/${user.id}`, mod))).toEqual([{ at: h().clock.now() + 10, banned: false }]);
    await h().post(`/user/${user.id}/ban`, mod, { rooms: ['test-room'] });
    expect(expectJson(await h().get(`/room/test-room/futurePermissions/${user.id}`, mod))).toEqual([]);
    h().clock.advance(11);
    await h().server.runJobs();
    expect((await h().get('/room/test-room', user)).status).toBe(404);
  });

  it('deletes all posts of a user in a room and across rooms', async () => {
    const mod = h().newUser();
    await h().admin.addModerator(mod.id, ['*']);
    const spammer = h().newUser();
    for (const room of ['test-room', 'room2', 'room2']) await h().postMessage(spammer, room);
    h().clock.advance(20);
    expect(expectJson(await h().del(`/room/test-room/all/${spammer.id}`, mod))).toEqual({});
    expect((await h().del(`/room/test-room/all/${spammer.id}`, mod)).status).toBe(404);
    await h().postMessage(spammer, 'test-room');
    expect(expectJson(await h().del(`/rooms/all/${spammer.id}`, mod))).toEqual({ total: 3, rooms: { 'test-room': 1, room2: 2 } });
    expect((await h().del(`/room/room2/all/${mod.id}`, spammer)).status).toBe(403);
  });
});
