// Private groups through the local network, every request on a 3-hop onion path: Alice creates a
// group with Bob and Carol; all three post and read; Alice removes Carol, who reads nothing sent
// afterwards (no key of hers opens it, and every member of the group's swarm refuses her token
// with 401) while Bob still reads; Bob is promoted and adds Dave, who reads from then on; a second
// device of Bob's, restored from his phrase, shows the group and its messages. Afterwards no
// log and no database holds a message, a name, or the member list in clear.
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import {
  AccountStore,
  GroupActions,
  GroupStore,
  Inbox,
  listGroups,
  openGroup,
  setProfileName,
  StarlingNetwork,
  decodeGroupContent,
  type GroupPollResult,
} from '@starling/client';
import { fromBase64, generateIdentity, mnemonicToSeed, ready, seedToMnemonic, toHex } from '@starling/crypto';
import { eventually } from '@starling/platform';
import { sharedNetwork, type SharedNetwork } from './support/shared-network';
import { storedAnywhere } from './support/stored-anywhere';

const RUN = `${Date.now()}`;
const text = (what: string) => `${what}-${RUN}`;

let net: SharedNetwork;
const folders: string[] = [];

async function person(name: string, seed16: Uint8Array = generateIdentity().seed16) {
  const home = mkdtempSync(join(tmpdir(), 'starling-groups-device-'));
  folders.push(home);
  const store = new AccountStore(home);
  const identity = store.createIdentity(seed16);
  store.updateState((s) => setProfileName(s, name));
  const network = await StarlingNetwork.connect({ seedUrl: net.seedUrl, sessionId: identity.sessionId });
  const groups = new GroupStore(home);
  return { name, seed16, store, identity, network, groups, inbox: new Inbox(store, network.swarm), actions: new GroupActions(store, groups, network.swarm) };
}
type Person = Awaited<ReturnType<typeof person>>;

/** New message texts read in the group by `p` (control messages left out). */
async function read(p: Person, groupId: string): Promise<GroupPollResult & { texts: string[] }> {
  const result = await p.actions.poller().poll(groupId);
  return { ...result, texts: result.entries.filter((e) => !e.event).map((e) => e.text) };
}

/** Polls until `p` has read every text in `expected` (across polls), returning all it read. */
async function readsAll(p: Person, groupId: string, expected: string[]): Promise<string[]> {
  const seen: string[] = [];
  await eventually(async () => {
    seen.push(...(await read(p, groupId)).texts);
    expect(seen).toEqual(expect.arrayContaining(expected));
  }, 60_000);
  return seen;
}

async function acceptInvitation(p: Person, groupId: string): Promise<void> {
  await eventually(async () => {
    const polled = await p.inbox.poll();
    expect(polled.groupInvitations.map((i) => i.groupId)).toContain(groupId);
  }, 60_000);
  await p.actions.accept(groupId);
}

beforeAll(async () => {
  await ready();
  net = await sharedNetwork();
}, 300_000);

afterAll(() => {
  for (const f of folders) rmSync(f, { recursive: true, force: true });
});

let alice: Person;
let bob: Person;
let carol: Person;
let dave: Person;
let groupId: string;
const GROUP_NAME = text('Pals');
const DESCRIPTION = text('where pals talk');

it('Alice creates a group with Bob and Carol; all three post and read', async () => {
  alice = await person(text('Alice'));
  bob = await person(text('Bob'));
  carol = await person(text('Carol'));
  const created = await alice.actions.create(GROUP_NAME, [bob.identity.sessionId, carol.identity.sessionId], DESCRIPTION);
  groupId = created.groupId;
  expect(created.failed).toEqual([]);
  await acceptInvitation(bob, groupId);
  await acceptInvitation(carol, groupId);

  await alice.actions.send(groupId, text('alice-1'));
  await bob.actions.send(groupId, text('bob-1'));
  await carol.actions.send(groupId, text('carol-1'));
  await readsAll(alice, groupId, [text('bob-1'), text('carol-1')]);
  await readsAll(bob, groupId, [text('alice-1'), text('carol-1')]);
  await readsAll(carol, groupId, [text('alice-1'), text('bob-1')]);
  // Alice's Members config shows both invitations accepted.
  await eventually(async () => {
    await alice.actions.poller().poll(groupId);
    const members = openGroup(alice.store, alice.groups, groupId).configs.members.all();
    expect(members.map((m) => [m.sessionId, m.inviteStatus]).sort()).toEqual([alice, bob, carol].map((p) => [p.identity.sessionId, 0]).sort());
  }, 60_000);
}, 600_000);

it('Alice removes Carol: Carol reads nothing sent afterwards and every swarm member refuses her; Bob still reads', async () => {
  const removal = await alice.actions.remove(groupId, [carol.identity.sessionId]);
  expect(removal.generation).toBe(1);
  const after = await alice.actions.send(groupId, text('after-carol'));

  await eventually(async () => expect((await read(carol, groupId)).removed).toBe(true), 60_000);
  const carolGroup = openGroup(carol.store, carol.groups, groupId);
  // The message is in the swarm, but none of Carol's keys opens it.
  const members = await alice.network.swarm.swarmOf(groupId);
  const adminGroup = openGroup(alice.store, alice.groups, groupId);
  const stored = await alice.network.swarm.request(groupId, 'retrieve', () => adminGroup.requests.retrieve(11, alice.network.clock.now(), undefined, -1));
  const row = (stored.body as { messages: Array<{ hash: string; data: string }> }).messages.find((m) => m.hash === after.hash)!;
  expect(() => decodeGroupContent(carolGroup.configs.keys.groupKeys(), fromBase64(row.data))).toThrow(/unable to decrypt/);
  // Her subaccount is revoked on every member of the group's swarm.
  for (const node of members) {
    const reply = await carol.network.swarm.request(groupId, 'retrieve', () => carolGroup.requests.retrieve(11, carol.network.clock.now(), undefined, -1), node);
    expect([node.ed25519, reply.status]).toEqual([node.ed25519, 401]);
  }
  expect(listGroups(carol.store, carol.groups).map((g) => g.status)).toEqual(['removed']);
  await readsAll(bob, groupId, [text('after-carol')]);
}, 600_000);

it('Bob is promoted and adds Dave, who reads from then on', async () => {
  await alice.actions.promote(groupId, [bob.identity.sessionId]);
  await eventually(async () => {
    const polled = await bob.inbox.poll();
    expect(polled.groupInvitations.map((i) => [i.groupId, i.kind])).toContainEqual([groupId, 'promote']);
  }, 60_000);
  await bob.actions.poller().poll(groupId);
  expect(openGroup(bob.store, bob.groups, groupId).configs.admin).toBe(true);

  await alice.actions.send(groupId, text('before-dave'));
  dave = await person(text('Dave'));
  const invited = await bob.actions.invite(groupId, [dave.identity.sessionId]);
  expect(invited.failed).toEqual([]);
  await acceptInvitation(dave, groupId);
  await bob.actions.send(groupId, text('welcome-dave'));
  const daveRead = await readsAll(dave, groupId, [text('welcome-dave')]);
  expect(daveRead).not.toContain(text('before-dave'));
  expect(daveRead).not.toContain(text('alice-1'));
}, 600_000);

it('a second device of Bob, restored from his phrase, shows the group and its messages', async () => {
  const bob2 = await person(bob.name, mnemonicToSeed(seedToMnemonic(bob.seed16)));
  await eventually(async () => {
    await bob2.inbox.poll();
    expect(listGroups(bob2.store, bob2.groups).map((g) => [g.groupId, g.name, g.role])).toEqual([[groupId, GROUP_NAME, 'admin']]);
  }, 60_000);
  const texts: string[] = [];
  await eventually(async () => {
    const polled = await bob2.actions.pollAll();
    texts.push(...polled.results.flatMap((r) => r.entries.filter((e) => !e.event).map((e) => e.text)));
    expect(texts).toEqual(expect.arrayContaining([text('alice-1'), text('bob-1'), text('carol-1'), text('after-carol'), text('before-dave'), text('welcome-dave')]));
  }, 60_000);
}, 600_000);

it('no log and no database holds a message, a name, or the group\'s member list in clear', async () => {
  const people = [alice, bob, carol, dave];
  const secrets = [GROUP_NAME, DESCRIPTION, ...people.map((p) => p.name), ...['alice-1', 'bob-1', 'carol-1', 'after-carol', 'before-dave', 'welcome-dave'].map(text)];
  const hits = storedAnywhere(net.dataDir, secrets);
  expect(hits).toEqual([]);

  // What the group's swarm holds (every namespace, as the nodes store it) names no member: not
  // their Session IDs, nor their Ed25519 or X25519 keys, in hex or raw.
  const admin = openGroup(alice.store, alice.groups, groupId);
  const memberKeys = people.flatMap((p) => [p.identity.sessionId, toHex(p.identity.ed25519.publicKey), toHex(p.identity.x25519.publicKey)]);
  const rawKeys = people.flatMap((p) => [Buffer.from(p.identity.ed25519.publicKey).toString('latin1'), Buffer.from(p.identity.x25519.publicKey).toString('latin1')]);
  for (const node of await alice.network.swarm.swarmOf(groupId)) {
    for (const ns of [-11, 11, 12, 13, 14]) {
      const reply = await alice.network.swarm.request(groupId, 'retrieve', () => admin.requests.retrieve(ns, alice.network.clock.now(), undefined, -1), node);
      const messages = (reply.body as { messages?: Array<{ data: string }> }).messages ?? [];
      if (ns !== -11) expect(messages.length).toBeGreaterThan(0);
      for (const m of messages) {
        const bytes = Buffer.from(m.data, 'base64').toString('latin1');
        for (const k of [...memberKeys, ...rawKeys]) if (bytes.includes(k) || m.data.includes(k)) hits.push(`group namespace ${ns} on ${node.ed25519}: a member key`);
      }
    }
  }
  expect(hits).toEqual([]);
}, 300_000);
