// The client SDK against real storage node processes (direct HTTP until relays are in the local
// network): Alice writes to Bob, Bob answers, Alice's second device restored from her seed sees
// both sides, a blocked sender's messages are not shown, and a read delete-after-read message is
// shortened with receipts the nodes signed.
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { AccountStore, editContact, Inbox, MessageSender } from '@starling/client';
import { generateIdentity, ready } from '@starling/crypto';
import { DirectSwarmAccess } from './support/direct-swarm-access';
import { SwarmNetwork } from './support/swarm-network';

let net: SwarmNetwork;
let swarm: DirectSwarmAccess;
const folders: string[] = [];

function device(seed: Uint8Array = generateIdentity().seed16) {
  const home = mkdtempSync(join(tmpdir(), 'starling-e2e-device-'));
  folders.push(home);
  const store = new AccountStore(home);
  const identity = store.createIdentity(seed);
  return { seed, store, identity, sender: new MessageSender(store, swarm), inbox: new Inbox(store, swarm) };
}

beforeAll(async () => {
  await ready();
  net = await SwarmNetwork.start(3);
  swarm = new DirectSwarmAccess(net.nodes);
  const probe = device();
  for (const n of net.nodes) await net.waitForSwarm(n, probe.identity.sessionId, net.nodes);
});
afterAll(async () => {
  await net?.stop();
  for (const f of folders) rmSync(f, { recursive: true, force: true });
});

it('Alice and Bob talk; Alice’s restored second device sees both sides', async () => {
  const alice = device();
  const bob = device();
  await alice.sender.sendText(bob.identity.sessionId, 'hello Bob');
  expect((await bob.inbox.poll()).entries.map((e) => [e.direction, e.peer, e.text])).toEqual([['in', alice.identity.sessionId, 'hello Bob']]);
  await bob.sender.sendText(alice.identity.sessionId, 'hi Alice');
  expect((await alice.inbox.poll()).entries.map((e) => e.text)).toEqual(['hi Alice']);

  const laptop = device(alice.seed);
  const seen = await laptop.inbox.poll();
  expect(seen.entries.map((e) => [e.direction, e.text])).toEqual([
    ['out', 'hello Bob'],
    ['in', 'hi Alice'],
  ]);
  expect(Object.keys(laptop.store.readState().contacts.contacts)).toEqual([bob.identity.sessionId]);
});

it('a blocked sender’s messages are not shown, on either device', async () => {
  const bob = device();
  const carol = device();
  bob.store.updateState((s) => editContact(s, carol.identity.sessionId, (c) => (c.blocked = true), Date.now()));
  await bob.inbox.poll(); // pushes the block as a signed config message
  await carol.sender.sendText(bob.identity.sessionId, 'spam');
  const atBob = await bob.inbox.poll();
  expect(atBob.entries).toEqual([]);
  expect(atBob.blocked).toBe(1);
  const tablet = device(bob.seed);
  const atTablet = await tablet.inbox.poll();
  expect(atTablet.entries).toEqual([]);
  expect(atTablet.blocked).toBe(1);
});

it('a read delete-after-read message gets a shorter, node-signed expiry', async () => {
  const alice = device();
  const bob = device();
  const sent = await alice.sender.sendText(bob.identity.sessionId, 'read me', { mode: 'after-read', timerSeconds: 60 });
  const result = await bob.inbox.poll();
  expect(result.expireFailures).toBe(0);
  const [entry] = result.entries;
  expect(entry!.expiresAtMs).toBeGreaterThan(sent.sentAtMs);
  expect(entry!.expiresAtMs).toBeLessThan(sent.sentAtMs + 120_000);
});
