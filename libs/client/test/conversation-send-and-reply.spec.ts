// Alice writes to Bob, Bob answers; Alice's second device, restored from her seed, sees both sides.
import { ready } from '@starling/crypto';
import { contactList, contactOf, readConfigs, setProfileName } from '../src/sync/config-changes';
import { Devices } from './support/devices';

describe('a 1:1 conversation through the swarms', () => {
  let devices: Devices;
  beforeAll(() => ready());
  beforeEach(() => (devices = new Devices()));
  afterEach(() => devices.cleanup());

  it('delivers a text to the recipient with the sender and name, and a reply back', async () => {
    const alice = devices.device();
    const bob = devices.device();
    alice.store.updateState((s) => setProfileName(s, 'Alice', Date.now()));

    const sent = await alice.sender.sendText(bob.identity.sessionId, 'hello Bob');
    expect(devices.swarm.rows(bob.identity.sessionId, 0).map((r) => r.hash)).toEqual([sent.hash]);
    expect(devices.swarm.rows(alice.identity.sessionId, 0).map((r) => r.hash)).toEqual([sent.syncHash]);

    const atBob = await bob.inbox.poll();
    expect(atBob.entries).toEqual([
      expect.objectContaining({ direction: 'in', peer: alice.identity.sessionId, peerName: 'Alice', text: 'hello Bob', sentAtMs: sent.sentAtMs }),
    ]);

    await bob.sender.sendText(alice.identity.sessionId, 'hi Alice');
    const atAlice = await alice.inbox.poll();
    // Her own sync copy was stored by this very device: not shown again here.
    expect(atAlice.entries.map((e) => [e.direction, e.peer, e.text])).toEqual([['in', bob.identity.sessionId, 'hi Alice']]);
    // What the poll showed is read, for the apps too (ConvoInfoVolatile).
    expect(readConfigs(alice.store.readState()).convos.oneToOne(bob.identity.sessionId)).toEqual({ lastRead: atAlice.entries[0].sentAtMs, unread: false });
    // Writing back approved Bob in her contacts.
    expect(contactOf(alice.store.readState(), bob.identity.sessionId)).toMatchObject({ approved: true });
  });

  it("shows a second device of the sender both sides, sent ones as 'to <recipient>'", async () => {
    const alice = devices.device();
    const bob = devices.device();
    await alice.sender.sendText(bob.identity.sessionId, 'first');
    await bob.inbox.poll();
    await bob.sender.sendText(alice.identity.sessionId, 'second');

    const aliceLaptop = devices.device(alice.seed);
    const seen = await aliceLaptop.inbox.poll();
    expect(seen.entries.map((e) => [e.direction, e.peer, e.text])).toEqual([
      ['out', bob.identity.sessionId, 'first'],
      ['in', bob.identity.sessionId, 'second'],
    ]);
    // The contact list Alice's phone pushed (Bob, added when she wrote) arrived too.
    expect(contactList(aliceLaptop.store.readState()).map(([id]) => id)).toEqual([bob.identity.sessionId]);
  });

  it('shows each message once, even when a node restarts from the oldest message', async () => {
    const alice = devices.device();
    const bob = devices.device();
    await alice.sender.sendText(bob.identity.sessionId, 'once');
    expect((await bob.inbox.poll()).entries).toHaveLength(1);
    expect((await bob.inbox.poll()).entries).toHaveLength(0);
    // Forget every last_hash: the swarm sends everything again, the seen-hash list filters it.
    bob.store.writePollState({ ...bob.store.readPollState(), lastHashes: {} });
    expect((await bob.inbox.poll()).entries).toHaveLength(0);
  });

  it('pages through a full inbox in one poll, continuing after the last hash of each page', async () => {
    const alice = devices.device();
    const bob = devices.device();
    for (const text of ['1', '2', '3', '4', '5']) await alice.sender.sendText(bob.identity.sessionId, text);
    devices.swarm.pageSize = 2;
    const result = await bob.inbox.poll();
    expect(result.entries.map((e) => e.text)).toEqual(['1', '2', '3', '4', '5']);
    const hashes = devices.swarm.rows(bob.identity.sessionId, 0).map((r) => r.hash);
    const inboxAsks = devices.swarm.lastHashesAsked.filter((a) => a.startsWith('0:'));
    expect(inboxAsks).toEqual(['0:', `0:${hashes[1]}`, `0:${hashes[3]}`]);
    expect(Object.entries(bob.store.readPollState().lastHashes)).toContainEqual([expect.stringMatching(/:0$/), hashes[4]]);
  });

  it('refuses bad input before touching the network', async () => {
    const alice = devices.device();
    const bob = devices.device();
    await expect(alice.sender.sendText('05abc', 'x')).rejects.toThrow(/66 hex/);
    await expect(alice.sender.sendText(bob.identity.sessionId, '   ')).rejects.toThrow(/empty/);
    await expect(alice.sender.sendText(bob.identity.sessionId, 'x'.repeat(60_001))).rejects.toThrow(/longer than/);
    expect(devices.swarm.calls).toEqual([]);
  });
});
