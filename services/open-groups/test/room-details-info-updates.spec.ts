// Every change of what a room's details show moves info_updates, whichever path makes it, so that
// a client polling pollInfo/<its counter> (as session-android does) learns it. One row per change.
import { expectJson, forEachBackend, type Harness, type TestUser } from './helpers';

const ROOM = 'details-walk';

interface Cast {
  admin: TestUser;
  mod: TestUser;
  poster: TestUser;
  reader: TestUser;
}

async function upload(h: Harness, user: TestUser): Promise<number> {
  return expectJson(await h.request('POST', `/room/${ROOM}/file`, user, { body: `img-${Math.random()}` }), 201).id;
}

async function pin(h: Harness, c: Cast): Promise<number> {
  const msg = await h.postMessage(c.poster, ROOM);
  expectJson(await h.post(`/room/${ROOM}/pin/${msg.id}`, c.admin, {}));
  return msg.id;
}

/** Each change, made the way a client, the operator or the server itself makes it. */
const CHANGES: [string, (h: Harness, c: Cast) => Promise<unknown>][] = [
  ['name (PUT /room)', (h, c) => h.put(`/room/${ROOM}`, c.admin, { name: 'Walk' })],
  ['description set', (h, c) => h.put(`/room/${ROOM}`, c.admin, { description: 'about' })],
  ['description removed', (h, c) => h.put(`/room/${ROOM}`, c.admin, { description: null })],
  ['image set', async (h, c) => h.put(`/room/${ROOM}`, c.admin, { image: await upload(h, c.admin) })],
  ['image replaced', async (h, c) => h.put(`/room/${ROOM}`, c.admin, { image: await upload(h, c.admin) })],
  ['default_read', (h, c) => h.put(`/room/${ROOM}`, c.admin, { default_read: false })],
  ['default_accessible', (h, c) => h.put(`/room/${ROOM}`, c.admin, { default_accessible: false })],
  ['default_write', (h, c) => h.put(`/room/${ROOM}`, c.admin, { default_write: false })],
  ['default_upload', (h, c) => h.put(`/room/${ROOM}`, c.admin, { default_upload: false })],
  ['defaults back (admin command line)', (h) => h.admin.setPermissions([ROOM], ['read', 'accessible', 'write', 'upload'], true)],
  ['pin', (h, c) => pin(h, c)],
  [
    're-pin',
    async (h, c) => {
      const pinned = expectJson(await h.get(`/room/${ROOM}`)).pinned_messages[0].id;
      h.clock.advance(1);
      return h.post(`/room/${ROOM}/pin/${pinned}`, c.admin, {});
    },
  ],
  ['unpin', async (h, c) => h.post(`/room/${ROOM}/unpin/${expectJson(await h.get(`/room/${ROOM}`)).pinned_messages[0].id}`, c.admin, {})],
  ['unpin all', async (h, c) => (await pin(h, c), h.post(`/room/${ROOM}/unpin/all`, c.admin, {}))],
  ['pinned post deleted', async (h, c) => h.del(`/room/${ROOM}/message/${await pin(h, c)}`, c.poster)],
  ['room moderator added', (h, c) => h.post(`/user/${c.mod.id}/moderator`, c.admin, { rooms: [ROOM], moderator: true })],
  ['room moderator hidden', (h, c) => h.post(`/user/${c.mod.id}/moderator`, c.admin, { rooms: [ROOM], moderator: true, visible: false })],
  ['room moderator made admin', (h, c) => h.post(`/user/${c.mod.id}/moderator`, c.admin, { rooms: [ROOM], admin: true })],
  ['room admin demoted', (h, c) => h.post(`/user/${c.mod.id}/moderator`, c.admin, { rooms: [ROOM], admin: false })],
  ['room moderator banned (loses the role)', (h, c) => h.admin.ban(c.mod.id, [ROOM])],
  ['room moderator appointed by the command line', (h, c) => h.admin.addModerator(c.reader.id, [ROOM])],
  ['room moderator removed', (h, c) => h.post(`/user/${c.reader.id}/moderator`, c.admin, { rooms: [ROOM], moderator: false })],
  ['global moderator added', (h, c) => h.admin.addModerator(c.reader.id, null)],
  ['global moderator made visible', (h, c) => h.admin.addModerator(c.reader.id, null, { visible: true })],
  ['global moderator removed', (h, c) => h.admin.removeModerator(c.reader.id, null)],
  [
    "a 05 id's role handed to its blinded id",
    async (h) => {
      const person = h.newUser();
      await h.admin.addModerator(person.sessionId, [ROOM]);
      const before = expectJson(await h.get(`/room/${ROOM}`)).info_updates;
      await h.get('/capabilities', person); // the first blinded request adopts the pending role
      const room = expectJson(await h.get(`/room/${ROOM}`));
      expect(room.moderators).toContain(person.id);
      expect(room.info_updates).toBeGreaterThan(before);
    },
  ],
  ['rename (command line)', (h) => h.admin.updateRoom(ROOM, { name: 'Renamed' })],
  ['describe (command line)', (h) => h.admin.updateRoom(ROOM, { description: 'from the command line' })],
  ['set-image (command line)', (h) => h.admin.updateRoom(ROOM, { image: { base64: Buffer.from('png').toString('base64'), filename: 'logo.png' } })],
  [
    'image cleared by the cleanup job (its file expired)',
    async (h) => {
      // A room image never expires today; an older server could have let one expire.
      await h.server.db.query('UPDATE files SET expiry = $1 WHERE id = (SELECT image FROM rooms WHERE token = $2)', [h.clock.now() - 1, ROOM]);
      await h.server.runJobs();
      expect(expectJson(await h.get(`/room/${ROOM}`))).not.toHaveProperty('image_id');
    },
  ],
];

forEachBackend('room details and info_updates', (h) => {
  let cast: Cast;
  beforeAll(async () => {
    await h().admin.addRoom(ROOM);
    cast = { admin: h().newUser(), mod: h().newUser(), poster: h().newUser(), reader: h().newUser() };
    await h().admin.addModerator(cast.admin.id, [ROOM], { admin: true });
  });

  // Read as the room's admin: some rows take the room's default access away for a while.
  const infoUpdates = async () => expectJson(await h().get(`/room/${ROOM}`, cast.admin)).info_updates;

  it.each(CHANGES)('moves info_updates on: %s', async (_name, change) => {
    const before = await infoUpdates();
    await change(h(), cast);
    const after = await infoUpdates();
    expect(after).toBeGreaterThan(before);
    // A poller holding the old counter gets the new details.
    const polled = expectJson(await h().get(`/room/${ROOM}/pollInfo/${before}`, cast.admin));
    expect(polled.details).toMatchObject({ token: ROOM, info_updates: after });
  });

  it('does not move it for posts, edits, reactions or a no-op change', async () => {
    const before = await infoUpdates();
    const msg = await h().postMessage(cast.poster, ROOM);
    expectJson(await h().put(`/room/${ROOM}/reaction/${msg.id}/👍`, cast.poster, {}));
    expectJson(await h().put(`/room/${ROOM}/message/${msg.id}`, cast.poster, { data: 'eA==', signature: Buffer.alloc(64).toString('base64') }));
    expectJson(await h().put(`/room/${ROOM}`, cast.admin, { name: 'Renamed' })); // the name it already has
    expect(await infoUpdates()).toBe(before);
  });
});
