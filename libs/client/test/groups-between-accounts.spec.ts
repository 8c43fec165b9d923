// Private groups between accounts on an in-process swarm that checks every group signature and
// subaccount token as the storage server does: Alice creates a group with Bob and Carol; all post
// and read; Carol is removed and reads nothing sent afterwards (no key opens it, her token is
// revoked); Bob still reads; Bob is promoted and adds Dave, who reads from then on; Bob's second
// device, restored from his seed, finds the group and its messages by itself.
import { ready } from '@starling/crypto';
import { loadZstd } from '../src/config/zstd';
import { GroupActions } from '../src/groups/group-actions';
import { listGroups } from '../src/groups/group-directory';
import { decodeGroupContent, encodeGroupContent } from '../src/groups/group-message';
import { GroupSwarm } from '../src/groups/group-swarm';
import { memberChangeMessage } from '../src/groups/group-updates';
import { GroupStore } from '../src/groups/group-store';
import { openGroup } from '../src/groups/open-group';
import { setProfileName } from '../src/sync/config-changes';
import { Device, Devices } from './support/devices';

let devices: Devices;

beforeAll(async () => {
  await ready();
  await loadZstd();
});
beforeEach(() => (devices = new Devices()));
afterEach(() => devices.cleanup());

function person(name: string, seed?: Uint8Array) {
  const device = devices.device(seed);
  device.store.updateState((s) => setProfileName(s, name));
  const groups = new GroupStore(device.store.home);
  return { ...device, name, groups, actions: new GroupActions(device.store, groups, devices.swarm) };
}
type Person = ReturnType<typeof person>;

async function readTexts(p: Person, groupId: string): Promise<string[]> {
  const r = await p.actions.poller().poll(groupId);
  return r.entries.filter((e) => !e.event).map((e) => `${e.authorName}: ${e.text}`);
}

async function join(p: Device & { actions: GroupActions }, groupId: string) {
  const polled = await p.inbox.poll();
  expect(polled.groupInvitations).toEqual([expect.objectContaining({ groupId, kind: 'invite', pending: true })]);
  return p.actions.accept(groupId);
}

it('create, post, remove, promote, add, and a second device', async () => {
  const alice = person('Alice');
  const bob = person('Bob');
  const carol = person('Carol');
  const created = await alice.actions.create('Pals', [bob.identity.sessionId, carol.identity.sessionId], 'for testing');
  expect(created.invited.sort()).toEqual([bob.identity.sessionId, carol.identity.sessionId].sort());
  const groupId = created.groupId;
  expect(groupId).toMatch(/^03[0-9a-f]{64}$/);

  await join(bob, groupId);
  await join(carol, groupId);
  // Alice sees them accept; Members marks their invitations accepted.
  const accepted = await alice.actions.poller().poll(groupId);
  expect(accepted.entries.map((e) => `${e.authorName} ${e.event}`).sort()).toEqual(['Bob joined the group', 'Carol joined the group']);
  const aliceView = openGroup(alice.store, alice.groups, groupId);
  expect(aliceView.configs.members.all().map((m) => [m.name, m.admin, m.inviteStatus]).sort()).toEqual([['Alice', true, 0], ['Bob', false, 0], ['Carol', false, 0]]);

  await alice.actions.send(groupId, 'hi from Alice');
  await bob.actions.send(groupId, 'hi from Bob');
  await carol.actions.send(groupId, 'hi from Carol');
  expect(await readTexts(alice, groupId)).toEqual(['Bob: hi from Bob', 'Carol: hi from Carol']);
  expect(await readTexts(bob, groupId)).toEqual(['Alice: hi from Alice', 'Carol: hi from Carol']);
  expect(await readTexts(carol, groupId)).toEqual(['Alice: hi from Alice', 'Bob: hi from Bob']);

  // One store per message, into the group's swarm, whatever the member count.
  const storesBefore = devices.swarm.calls.length;
  await alice.actions.send(groupId, 'one store');
  expect(devices.swarm.calls.slice(storesBefore)).toEqual([[groupId, 'sequence']]);

  // Carol is removed.
  const removal = await alice.actions.remove(groupId, [carol.identity.sessionId]);
  expect(removal.generation).toBe(1);
  expect(devices.swarm.revokedTokens(groupId)).toHaveLength(1);
  const secret = await alice.actions.send(groupId, 'after Carol left');
  const carolPoll = await carol.actions.poller().poll(groupId);
  expect(carolPoll.removed).toBe(true);
  expect(carolPoll.entries.map((e) => e.text)).not.toContain('after Carol left');
  // Even holding the data, Carol's keys do not open it; and her token is refused outside -11.
  const carolGroup = openGroup(carol.store, carol.groups, groupId);
  const stored = devices.swarm.rows(groupId, 11).find((r) => r.hash === secret.hash)!;
  expect(() => decodeGroupContent(carolGroup.configs.keys.groupKeys(), Buffer.from(stored.data, 'base64'))).toThrow(/unable to decrypt/);
  const refused = await devices.swarm.request(groupId, 'retrieve', () => carolGroup.requests.retrieve(11, devices.swarm.clock.now(), undefined, -1));
  expect(refused.status).toBe(401);
  expect(listGroups(carol.store, carol.groups).map((g) => g.status)).toEqual(['removed']);
  // Bob still reads.
  expect(await readTexts(bob, groupId)).toEqual(['Alice: one store', 'Alice: after Carol left']);

  // Bob is promoted, then adds Dave.
  await alice.actions.promote(groupId, [bob.identity.sessionId]);
  expect((await bob.inbox.poll()).groupInvitations).toEqual([expect.objectContaining({ groupId, kind: 'promote' })]);
  await bob.actions.poller().poll(groupId);
  expect(openGroup(bob.store, bob.groups, groupId).configs.admin).toBe(true);
  await alice.actions.send(groupId, 'before Dave');
  const dave = person('Dave');
  await bob.actions.invite(groupId, [dave.identity.sessionId]);
  const daveJoins = await join(dave, groupId);
  expect(daveJoins.entries.filter((e) => !e.event)).toEqual([]);
  expect(daveJoins.undecryptable).toBeGreaterThanOrEqual(6); // everything before he joined
  await bob.actions.send(groupId, 'welcome Dave');
  const daveRead = await dave.actions.poller().poll(groupId);
  expect(daveRead.entries.filter((e) => !e.event).map((e) => e.text)).toEqual(['welcome Dave']);
  // Alice, still admin, sees Bob's promotion accepted and Dave in the member list.
  await alice.actions.poller().poll(groupId);
  const members = openGroup(alice.store, alice.groups, groupId).configs.members.all();
  expect(members.map((m) => [m.name, m.admin, m.promotionStatus]).sort()).toEqual([['Alice', true, 0], ['Bob', true, 0], ['Dave', false, 0]]);

  // Bob's second device: the group list arrives with his account's configs, the group with its messages.
  const bob2 = person('Bob', bob.seed);
  await bob2.inbox.poll();
  expect(listGroups(bob2.store, bob2.groups).map((g) => [g.groupId, g.role, g.status])).toEqual([[groupId, 'admin', 'joined']]);
  const all = await bob2.actions.pollAll();
  expect(all.failures).toEqual([]);
  const texts = all.results[0].entries.filter((e) => !e.event).map((e) => e.text);
  expect(texts).toEqual(expect.arrayContaining(['hi from Alice', 'hi from Bob', 'hi from Carol', 'after Carol left', 'before Dave', 'welcome Dave']));
  expect(all.results[0].entries.find((e) => e.text === 'hi from Bob')!.direction).toBe('out');
});

it('an invitation from an approved contact is joined at once; leaving tells the admin, who removes the leaver', async () => {
  const alice = person('Alice');
  const bob = person('Bob');
  await bob.sender.sendText(alice.identity.sessionId, 'hello'); // Bob approves Alice by writing to her
  const { groupId } = await alice.actions.create('Two', [bob.identity.sessionId]);
  const polled = await bob.inbox.poll();
  expect(polled.groupInvitations).toEqual([expect.objectContaining({ groupId, pending: false })]);
  await bob.actions.pollAll(); // reads the keys and answers the invitation
  expect((await alice.actions.poller().poll(groupId)).entries.map((e) => e.event)).toEqual(['joined the group']);

  await bob.actions.leave(groupId);
  expect(listGroups(bob.store, bob.groups)).toEqual([]);
  const aliceSees = await alice.actions.poller().poll(groupId);
  expect(aliceSees.entries.map((e) => e.event)).toEqual(['left the group']);
  expect(aliceSees.adminActions).toEqual([`${bob.identity.sessionId} left: removed, keys rotated`]);
  expect(openGroup(alice.store, alice.groups, groupId).configs.members.sessionIds()).toEqual([alice.identity.sessionId]);
});

it('disappearing messages: the admin sets the timer, messages carry it and live exactly that long', async () => {
  const alice = person('Alice');
  const bob = person('Bob');
  const { groupId } = await alice.actions.create('Brief', [bob.identity.sessionId]);
  await join(bob, groupId);
  await alice.actions.updateInfo(groupId, { disappearingSeconds: 300 });
  const events = await bob.actions.poller().poll(groupId);
  expect(events.entries.map((e) => e.event)).toContain('set disappearing messages to after-send 5m');
  const sent = await bob.actions.send(groupId, 'gone in 5 minutes');
  expect(sent.ttlMs).toBe(300_000);
  const row = devices.swarm.rows(groupId, 11).find((r) => r.hash === sent.hash)!;
  expect(row.expiry - row.timestamp).toBe(300_000);
  const read = await alice.actions.poller().poll(groupId);
  expect(read.entries.find((e) => e.text === 'gone in 5 minutes')!.disappearing).toEqual({ mode: 'after-send', timerSeconds: 300 });
});

it('members cannot do admin work, and a forged admin change is rejected', async () => {
  const alice = person('Alice');
  const bob = person('Bob');
  const carol = person('Carol');
  const { groupId } = await alice.actions.create('Guarded', [bob.identity.sessionId, carol.identity.sessionId]);
  await join(bob, groupId);
  await carol.inbox.poll();
  await expect(bob.actions.remove(groupId, [carol.identity.sessionId])).rejects.toThrow(/only an admin/);
  await expect(bob.actions.updateInfo(groupId, { name: 'mine' })).rejects.toThrow(/only an admin/);
  await expect(carol.actions.send(groupId, 'not yet')).rejects.toThrow(/not accepted this invitation/);
  await expect(alice.actions.remove(groupId, ['05' + 'ab'.repeat(32)])).rejects.toThrow(/not in the group/);

  // Bob forges "Alice removed Carol", signed with his own key: readers drop it.
  const bobGroup = openGroup(bob.store, bob.groups, groupId);
  const forged = memberChangeMessage('removed', [carol.identity.sessionId], bob.identity.ed25519.secretKey, devices.swarm.clock.now());
  const now = devices.swarm.clock.now();
  const data = encodeGroupContent(bob.identity.ed25519.secretKey, bobGroup.configs.keys.encryptionKey(), { dataMessage: { groupUpdateMessage: forged } }, now);
  await new GroupSwarm(devices.swarm).storeMessage(bobGroup, data);
  const seen = await alice.actions.poller().poll(groupId);
  expect(seen.rejected).toBe(1);
  expect(seen.entries.map((e) => e.event)).not.toContain(`removed ${carol.identity.sessionId}`);
});

it('a removed member invited back reads again, on a fresh device too (the old notice no longer applies)', async () => {
  const alice = person('Alice');
  const carol = person('Carol');
  const { groupId } = await alice.actions.create('Again', [carol.identity.sessionId]);
  await join(carol, groupId);
  await alice.actions.remove(groupId, [carol.identity.sessionId]);
  expect((await carol.actions.poller().poll(groupId)).removed).toBe(true);
  const outcome = await alice.actions.invite(groupId, [carol.identity.sessionId]);
  expect(outcome).toEqual({ invited: [carol.identity.sessionId], failed: [] });
  expect(devices.swarm.revokedTokens(groupId)).toEqual([]);
  await join(carol, groupId);
  await alice.actions.send(groupId, 'welcome back');
  expect(await readTexts(carol, groupId)).toEqual(['Alice: welcome back']);
  // A new device of Carol's reads the -11 notice from the start: older than her keys, it is ignored.
  const carol2 = person('Carol', carol.seed);
  await carol2.inbox.poll();
  const fresh = await carol2.actions.pollAll();
  expect(fresh.results.map((r) => r.removed)).toEqual([false]);
  expect(fresh.results[0].entries.map((e) => e.text)).toContain('welcome back');
});
