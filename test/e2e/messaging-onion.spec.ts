// Two people talk through the local network as Session clients do: every request travels a
// 3-hop onion path of relay processes to a storage node. Also: a second device restored from the
// phrase, a blocked sender, a disappearing message, a relay killed mid-conversation, and a look
// through every log and database afterwards for the client's address and the plaintext.
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { AccountStore, editContact, Inbox, MessageSender, OwnSwarmRequests, StarlingNetwork } from '@starling/client';
import { generateIdentity, ready } from '@starling/crypto';
import { eventually } from '@starling/platform';
import { sharedNetwork, type SharedNetwork } from './support/shared-network';
import { storedAnywhere } from './support/stored-anywhere';

// Every client request leaves from this loopback address; nothing may record it.
const CLIENT_ADDRESS = '127.0.0.77';
const MARKER = `plaintext-marker-${Date.now()}`;

let net: SharedNetwork;
const folders: string[] = [];

async function device(seed: Uint8Array = generateIdentity().seed16) {
  const home = mkdtempSync(join(tmpdir(), 'starling-onion-device-'));
  folders.push(home);
  const store = new AccountStore(home);
  const identity = store.createIdentity(seed);
  const network = await StarlingNetwork.connect({ seedUrl: net.seedUrl, sessionId: identity.sessionId, sourceAddress: CLIENT_ADDRESS });
  return { seed, store, identity, network, sender: new MessageSender(store, network.swarm), inbox: new Inbox(store, network.swarm) };
}

beforeAll(async () => {
  await ready();
  net = await sharedNetwork();
}, 300_000);

afterAll(() => {
  for (const f of folders) rmSync(f, { recursive: true, force: true });
});

it('Alice and Bob talk through onion paths; Alice’s second device sees both sides', async () => {
  const alice = await device();
  const bob = await device();
  await alice.sender.sendText(bob.identity.sessionId, `hello Bob ${MARKER}`);
  await eventually(async () => {
    const got = (await bob.inbox.poll()).entries;
    expect(got.map((e) => [e.direction, e.peer, e.text])).toEqual([['in', alice.identity.sessionId, `hello Bob ${MARKER}`]]);
  }, 30_000);
  await bob.sender.sendText(alice.identity.sessionId, 'hi Alice');
  await eventually(async () => expect((await alice.inbox.poll()).entries.map((e) => e.text)).toEqual(['hi Alice']), 30_000);

  const laptop = await device(alice.seed);
  const seen = await laptop.inbox.poll();
  expect(seen.entries.map((e) => [e.direction, e.text])).toEqual([
    ['out', `hello Bob ${MARKER}`],
    ['in', 'hi Alice'],
  ]);
  // Every request went through a path of three distinct relays.
  for (const path of alice.network.paths.current) expect(new Set(path.nodes.map((n) => n.ed25519)).size).toBe(3);
});

it('a blocked sender’s messages are not shown', async () => {
  const bob = await device();
  const carol = await device();
  bob.store.updateState((s) => editContact(s, carol.identity.sessionId, (c) => (c.blocked = true), Date.now()));
  await bob.inbox.poll();
  await carol.sender.sendText(bob.identity.sessionId, 'let me in');
  await eventually(async () => {
    const result = await bob.inbox.poll();
    expect(result.entries).toEqual([]);
    expect(result.blocked).toBe(1);
  }, 30_000);
});

it('a delete-after-send message is gone from every storage node after its timer', async () => {
  const alice = await device();
  const bob = await device();
  const sent = await alice.sender.sendText(bob.identity.sessionId, 'this will vanish', { mode: 'after-send', timerSeconds: 10 });
  const members = await bob.network.swarm.swarmOf(bob.identity.sessionId);
  const requests = new OwnSwarmRequests(bob.identity);
  // How many members still serve the message (a retrieve from the start of Bob's namespace 0).
  const held = async () => {
    let count = 0;
    for (const m of members) {
      const params = () => ({ pubkey: bob.identity.sessionId, ...requests.retrieve(0, bob.network.clock.now(), undefined, -1) });
      const reply = await bob.network.swarm.request(bob.identity.sessionId, 'retrieve', params, m);
      const messages = (reply.body as { messages?: Array<{ hash: string }> }).messages ?? [];
      if (messages.some((msg) => msg.hash === sent.hash)) count++;
    }
    return count;
  };
  expect(await held()).toBeGreaterThan(0);
  await eventually(async () => expect(await held()).toBe(0), 40_000);
});

it('a relay killed mid-conversation makes the client rebuild its path and carry on', async () => {
  const alice = await device();
  const bob = await device();
  await alice.sender.sendText(bob.identity.sessionId, 'before');
  const used = new Set(alice.network.paths.current.flatMap((p) => p.nodes.map((n) => n.ed25519)));
  const victim = net.relays.find((r) => used.has(r.pubkey!));
  expect(victim).toBeDefined();
  await net.kill(victim!.name, 'SIGKILL');
  // Each send picks one of the two paths at random: keep talking until a request has met the
  // dead relay, and check that no message was lost on the way.
  const sentAfter: string[] = [];
  await eventually(async () => {
    const text = `after ${sentAfter.length}`;
    await alice.sender.sendText(bob.identity.sessionId, text);
    sentAfter.push(text);
    expect(alice.network.paths.current.flatMap((p) => p.nodes.map((n) => n.ed25519))).not.toContain(victim!.pubkey);
  }, 60_000);
  expect(alice.network.paths.current.length).toBeGreaterThan(0);
  await eventually(async () => {
    const texts = (await bob.inbox.poll()).entries.map((e) => e.text);
    expect(texts).toEqual(expect.arrayContaining(['before', ...sentAfter]));
  }, 30_000);
});

it('a client whose clock is off is refused (406), learns the network time and succeeds', async () => {
  const alice = await device();
  const bob = await device();
  // Swarms known first, so the first request after the skew is a timestamped store.
  await alice.network.swarm.swarmOf(bob.identity.sessionId);
  await alice.network.swarm.swarmOf(alice.identity.sessionId);
  const methods: string[] = [];
  const rpc = alice.network.onion.snodeRpc.bind(alice.network.onion);
  alice.network.onion.snodeRpc = async (node, method, params) => {
    const reply = await rpc(node, method, params);
    methods.push(`${method}:${reply.status}`);
    return reply;
  };
  // Five minutes fast: a store dated in the future is refused.
  alice.network.clock.observe(Date.now() + 5 * 60_000);
  expect(alice.network.clock.offset).toBeGreaterThan(60_000);
  await alice.sender.sendText(bob.identity.sessionId, 'on time');
  // The node refuses the store; the client learns its time (info), and the message, which carries
  // its signed send time, is encoded again.
  expect(methods.slice(0, 4)).toEqual(['store:406', 'info:200', 'store:406', 'store:200']);
  expect(Math.abs(alice.network.clock.offset)).toBeLessThan(10_000);
  await eventually(async () => expect((await bob.inbox.poll()).entries.map((e) => e.text)).toEqual(['on time']), 30_000);
});

it('no log and no database holds the client address or the plaintext', async () => {
  expect(storedAnywhere(net.dataDir, [CLIENT_ADDRESS, MARKER])).toEqual([]);
});
