// One account on two devices through the local network, every request on a 3-hop onion path: the
// account's configs are libsession config messages in its swarm (namespaces 2, 3 and 5 here), so a
// device restored from the phrase shows the name, contacts, blocks and joined community set on
// the first, and concurrent changes on both devices converge on the same state and one message.
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import {
  AccountStore,
  CommunityStore,
  CONTACTS,
  ConfigSync,
  contactList,
  contactOf,
  editContact,
  Inbox,
  openConfig,
  OwnSwarmRequests,
  parseJoinUrl,
  profileName,
  setProfileName,
  StarlingNetwork,
  USER_GROUPS,
  USER_PROFILE,
} from '@starling/client';
import { fromBase64, generateIdentity, mnemonicToSeed, ready, seedToMnemonic } from '@starling/crypto';
import { eventually } from '@starling/platform';
import { sharedNetwork, type SharedNetwork } from './support/shared-network';

const BOB = '05d2ad010eeb72d72e561d9de7bd7b6989af77dcabffa03a5111a6c859ae5c3a72';
const CAROL = '05ca03b8e369aeeb69fd260c2957d37b232db17a60db7a39bca9f0c0a6be135c1a';
const DAVE = '055bf55c73b82ebe22be80f3430667af570fae2556a6415e6b30d4065300aa947d';
const COMMUNITY = `http://127.0.0.1:47000/lobby?public_key=${'ab'.repeat(32)}`;

let net: SharedNetwork;
const folders: string[] = [];

async function device(seed: Uint8Array) {
  const home = mkdtempSync(join(tmpdir(), 'starling-configs-device-'));
  folders.push(home);
  const store = new AccountStore(home);
  const identity = store.createIdentity(seed);
  const network = await StarlingNetwork.connect({ seedUrl: net.seedUrl, sessionId: identity.sessionId });
  return { store, identity, network, inbox: new Inbox(store, network.swarm), sync: new ConfigSync(store, network.swarm), communities: new CommunityStore(home) };
}

type Device = Awaited<ReturnType<typeof device>>;

/** The config messages every member of the swarm holds in `namespace`. */
async function storedConfigs(d: Device, namespace: number): Promise<Array<{ hash: string; data: string }>> {
  const requests = new OwnSwarmRequests(d.identity);
  const params = () => ({ pubkey: d.identity.sessionId, ...requests.retrieve(namespace, d.network.clock.now(), undefined, -1) });
  const reply = await d.network.swarm.request(d.identity.sessionId, 'retrieve', params);
  return (reply.body as { messages?: Array<{ hash: string; data: string }> }).messages ?? [];
}

beforeAll(async () => {
  await ready();
  net = await sharedNetwork();
}, 300_000);

afterAll(() => {
  for (const f of folders) rmSync(f, { recursive: true, force: true });
});

it('a device restored from the phrase shows the name, contacts, blocks and community set on the first; concurrent changes converge', async () => {
  const { seed16 } = generateIdentity();
  const a = await device(seed16);
  a.store.updateState((s) => {
    setProfileName(s, 'Alice');
    editContact(s, BOB, (c) => {
      c.approved = true;
      c.nickname = 'Bobby';
    }, Date.now());
    editContact(s, CAROL, (c) => (c.blocked = true), Date.now());
  });
  const { server, room } = parseJoinUrl(COMMUNITY);
  a.communities.save({ server, room, name: 'Lobby' }, Date.now());
  expect(await a.sync.pushPending()).toBe(3); // UserProfile, Contacts, UserGroups

  // What the Session apps would read in the swarm: libsession config messages.
  for (const kind of [USER_PROFILE, CONTACTS, USER_GROUPS]) {
    const stored = await storedConfigs(a, kind.namespace);
    expect(stored).toHaveLength(1);
    expect(openConfig(kind, a.identity.seed, fromBase64(stored[0].data))?.[0]).toBe(0x64); // 'd'
  }

  const b = await device(mnemonicToSeed(seedToMnemonic(seed16)));
  await eventually(async () => {
    await b.inbox.poll();
    const state = b.store.readState();
    expect(profileName(state)).toBe('Alice');
    expect(contactOf(state, BOB)).toEqual({ nickname: 'Bobby', approved: true });
    expect(contactOf(state, CAROL)).toEqual({ blocked: true });
    expect(b.communities.find('lobby')).toMatchObject({ room: 'lobby', server: { x25519: 'ab'.repeat(32) } });
  }, 30_000);

  // At the same time: A blocks Dave and unblocks Carol, B renames Bob and sets a new profile name.
  a.store.updateState((s) => {
    editContact(s, DAVE, (c) => (c.blocked = true), Date.now());
    editContact(s, CAROL, (c) => delete c.blocked, Date.now());
  });
  b.store.updateState((s) => {
    editContact(s, BOB, (c) => (c.nickname = 'Robert'), Date.now());
    setProfileName(s, 'Alice B.');
  });
  await a.inbox.poll();
  await b.inbox.poll();
  await eventually(async () => {
    await a.inbox.poll();
    await b.inbox.poll();
    const [sa, sb] = [a.store.readState(), b.store.readState()];
    expect(contactList(sa)).toEqual(contactList(sb));
    expect(contactOf(sa, DAVE)).toEqual({ blocked: true });
    expect(contactOf(sa, CAROL)).toEqual({});
    expect(contactOf(sa, BOB)).toEqual({ nickname: 'Robert', approved: true });
    expect([profileName(sa), profileName(sb)]).toEqual(['Alice B.', 'Alice B.']);
    // Superseded messages were deleted: one message per config in the swarm.
    expect(await storedConfigs(a, CONTACTS.namespace)).toHaveLength(1);
    expect(await storedConfigs(a, USER_PROFILE.namespace)).toHaveLength(1);
  }, 60_000);
});
