// Polls arriving together share database queries (the caller's user and room in one, the
// messages of polls that are behind in another). Whatever batch a poll lands in, its answer must
// be the one it gets alone: its own whispers, permissions, bans, reactions and first-use roles.
import { MessagesModel } from '../src/messages/messages.model';
import { RoomsModel } from '../src/rooms/rooms.model';
import { UsersModel } from '../src/users/users.model';
import { expectJson, forEachBackend, type Reply, type TestUser } from './helpers';

const ROOM = 'poll-batch';

forEachBackend('polls answered together', (h) => {
  let poster: TestUser, mod: TestUser, target: TestUser, reader: TestUser, muted: TestUser, roomBanned: TestUser, banned: TestUser;
  let middle: number;

  beforeAll(async () => {
    await h().admin.addRoom(ROOM);
    [poster, mod, target, reader, muted, roomBanned, banned] = Array.from({ length: 7 }, () => h().newUser());
    await h().admin.addModerator(mod.id, [ROOM]);
    for (const user of [target, reader, muted, roomBanned, banned]) expectJson(await h().get(`/room/${ROOM}`, user));
    await h().admin.setPermissions([ROOM], ['read'], false, [muted.id]);
    await h().admin.ban(roomBanned.id, [ROOM]);
    await h().admin.ban(banned.id, null);
    const first = await h().postMessage(poster, ROOM);
    middle = (await h().postMessage(poster, ROOM)).seqno;
    await h().postMessage(mod, ROOM, undefined, { whisper_to: target.id });
    await h().postMessage(mod, ROOM, undefined, { whisper_mods: true });
    const gone = await h().postMessage(poster, ROOM);
    expectJson(await h().del(`/room/${ROOM}/message/${gone.id}`, poster));
    expectJson(await h().put(`/room/${ROOM}/reaction/${first.id}/👍`, reader, {}));
    expectJson(await h().put(`/room/${ROOM}/reaction/${first.id}/👍`, target, {}));
  });

  const paths = () => [
    `/room/${ROOM}/messages/since/0`,
    `/room/${ROOM}/messages/since/${middle}`,
    `/room/${ROOM}/messages/since/${middle}?t=r&reactors=1`,
    `/room/${ROOM}/messages/since/0?limit=2`,
    `/room/${ROOM}/messages/recent`,
    `/room/${ROOM}/pollInfo/0`,
    `/room/${ROOM}`,
  ];
  const answer = (res: Reply) => ({ status: res.status, body: res.body.toString() });

  it('gives each poll of a simultaneous burst the answer it gets alone', async () => {
    const viewers = [null, poster, mod, target, reader, muted, roomBanned, banned];
    const requests = viewers.flatMap((viewer) => paths().map((path) => ({ viewer, path })));
    const alone = [];
    for (const { viewer, path } of requests) alone.push(answer(await h().get(path, viewer)));
    expect(new Set(alone.map((a) => a.status))).toEqual(new Set([200, 403, 404])); // the cases differ

    for (let round = 0; round < 3; round++) {
      const together = await Promise.all(requests.map(async ({ viewer, path }) => answer(await h().get(path, viewer))));
      expect(together).toEqual(alone);
    }
  });

  // Called together, the reads are sure to share queries whatever the backend's speed: the
  // Coalescer sends the first two alone and the rest in one batch.
  it('reads each caller and their room access in a shared query as alone', async () => {
    const db = h().server.db;
    const rooms = new RoomsModel({ activeUsersCutoffSeconds: 86400 });
    const users = new UsersModel(h().serverPk, true);
    const stranger = h().newUser(); // never seen: no user row
    const pairs = [poster, mod, target, reader, muted, roomBanned, banned, stranger].flatMap((u) =>
      [ROOM, ROOM.toUpperCase(), 'no-such-room'].map((token) => ({ sessionId: u.id, token })),
    );
    const together = await rooms.findWithCallers(db, pairs);
    for (const [i, { sessionId, token }] of pairs.entries()) {
      const user = await users.find(db, sessionId);
      expect(together[i]).toEqual({ user, found: await rooms.find(db, token, user) });
    }
  });

  it('reads the messages of polls that are behind in shared queries as alone', async () => {
    const db = h().server.db;
    const rooms = new RoomsModel({ activeUsersCutoffSeconds: 86400 });
    const users = new UsersModel(h().serverPk, true);
    const messages = new MessagesModel(db, { rateLimitPosts: 5, rateLimitWindowSeconds: 16, fileExpirySeconds: 0, uploadClaimSeconds: 3600 });
    const polls = [];
    for (const viewer of [null, poster, mod, target, reader]) {
      const user = viewer && (await users.find(db, viewer.id));
      const { room, access } = (await rooms.find(db, ROOM, user))!;
      for (const [since, withReactions, limit, reactors] of [[0, false, 100, 4], [middle, false, 100, 0], [middle, true, 100, 1], [0, true, 2, 4]] as const) {
        polls.push(() => messages.since(room, { user, access }, since, withReactions, { limit, reactors }));
      }
    }
    const alone = [];
    for (const poll of polls) alone.push(await poll());
    expect(new Set(alone.map((a) => JSON.stringify(a))).size).toBeGreaterThan(10); // the polls differ
    expect(await Promise.all(polls.map((poll) => poll()))).toEqual(alone);
  });

  it('reads the access of a first-time user after their pending roles moved to them', async () => {
    const people = [h().newUser(), h().newUser(), h().newUser()];
    for (const person of people) await h().admin.addModerator(person.sessionId, [ROOM]); // by 05 id, before they connect
    const first = await Promise.all(
      people.flatMap((person) => [h().get(`/room/${ROOM}`, person), h().get(`/room/${ROOM}/messages/since/0`, person)]),
    );
    for (let i = 0; i < people.length; i++) {
      // Whichever of the two requests created the user, both see the role.
      expect(expectJson(first[2 * i]).moderator).toBe(true);
      expect(expectJson(first[2 * i + 1]).some((m: { whisper_mods?: boolean }) => m.whisper_mods)).toBe(true);
    }
  });
});
