import { forEachBackend, expectJson } from './helpers';

forEachBackend('rooms', (h) => {
  it('lists rooms sorted by token with the v3 room object fields', async () => {
    const rooms = expectJson(await h().get('/rooms'));
    expect(rooms.map((r: any) => r.token)).toEqual(['room2', 'test-room']);
    const room = rooms[1];
    expect(room).toMatchObject({
      token: 'test-room',
      name: 'test-room',
      info_updates: 0,
      message_sequence: 0,
      active_users: 0,
      active_users_cutoff: 604800,
      moderators: [],
      admins: [],
      read: true,
      write: true,
      upload: true,
    });
    expect(typeof room.created).toBe('number');
    expect(room).not.toHaveProperty('description');
    expect(room).not.toHaveProperty('moderator');
  });

  it('finds a room case-insensitively and 404s unknown or malformed tokens', async () => {
    expect(expectJson(await h().get('/room/TEST-room')).token).toBe('test-room');
    expect((await h().get('/room/nope')).status).toBe(404);
    expect((await h().get('/room/bad.token')).status).toBe(404);
  });

  it('answers capabilities and 412 with missing ones', async () => {
    expect(expectJson(await h().get('/capabilities'))).toEqual({ capabilities: ['blind', 'blind25', 'reactions', 'sogs'] });
    expect(expectJson(await h().get('/capabilities?required=sogs,magic'), 412)).toEqual({
      capabilities: ['blind', 'blind25', 'reactions', 'sogs'],
      missing: ['magic'],
    });
  });
});
