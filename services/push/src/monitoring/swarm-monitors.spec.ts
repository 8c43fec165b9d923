// The swarm monitors' bookkeeping with recording streams: renewals come due after 45-55 minutes
// and drop accounts whose subscriptions are gone; a rescan picks up accounts another replica
// subscribed; a node whose map lags ours (WRONG_SWARM) is asked again, a bounded number of times.
import { randomBytes } from 'crypto';
import { eventually } from '@starling/platform';
import type { swarmstore } from '@starling/proto';
import type { MonitoredSubscription } from '../subscriptions/subscription-store';
import type { NodeStreamEvents } from './node-stream';
import { SwarmMap, type StorageNode } from './swarm-map';
import { coveringSubscriptions, SwarmMonitors, type MonitorStream } from './swarm-monitors';

class RecordingStream implements MonitorStream {
  readonly sent: Buffer[][] = [];
  constructor(
    readonly node: StorageNode,
    readonly events: NodeStreamEvents,
  ) {}
  open(): void {
    this.events.opened();
  }
  send(subscriptions: ReadonlyArray<{ account: Buffer; subscription: swarmstore.MonitorSubscription }>): void {
    this.sent.push(subscriptions.map((s) => s.account));
  }
  close(): void {}
}

function account(): Buffer {
  return Buffer.concat([Buffer.of(0x03), randomBytes(32)]);
}

function subscription(a: Buffer): MonitoredSubscription {
  return { account: a, signature: randomBytes(64), sigTs: 1_700_000_000, wantData: false, namespaces: [0] };
}

describe('swarm monitors', () => {
  const clock = { now: 1_700_000_000_000 };
  let live: Map<string, Buffer>;
  let streams: RecordingStream[];
  let monitors: SwarmMonitors;
  const node: StorageNode = { ed25519: 'aa'.repeat(32), grpcAddress: '127.0.0.1:1', swarmId: 7n };
  const sentTo = () => streams.flatMap((s) => s.sent.flat().map((a) => a.toString('hex')));

  beforeEach(() => {
    live = new Map();
    streams = [];
    monitors = new SwarmMonitors({
      subscriptions: {
        forMonitoringMany: async (accounts) => new Map(accounts.filter((a) => live.has(a.toString('hex'))).map((a) => [a.toString('hex'), [subscription(a)]])),
        accounts: async () => [...live.values()],
      },
      openStream: (n, events) => {
        const stream = new RecordingStream(n, events);
        streams.push(stream);
        return stream;
      },
      dispatch: async () => undefined,
      now: () => clock.now,
      random: () => 0.5,
      wrongSwarmRetryMs: 5,
    });
    monitors.applyMap(new SwarmMap([node]));
  });
  afterEach(() => monitors.close());

  it('renews an account after 50 minutes (random 0.5) and drops one whose subscriptions are gone', async () => {
    const [alice, bob] = [account(), account()];
    live.set(alice.toString('hex'), alice).set(bob.toString('hex'), bob);
    await monitors.watch([alice, bob]);
    await monitors.settled();
    expect(sentTo().sort()).toEqual([alice, bob].map((a) => a.toString('hex')).sort());

    clock.now += 49 * 60_000;
    await monitors.renewDue();
    expect(streams[0]!.sent).toHaveLength(1);

    live.delete(bob.toString('hex'));
    clock.now += 60_000;
    await monitors.renewDue();
    expect(streams[0]!.sent[1]!.map((a) => a.toString('hex'))).toEqual([alice.toString('hex')]);
    expect(monitors.accountCount).toBe(1);
  });

  it('watches accounts another replica stored, and forgets accounts no longer stored', async () => {
    const [alice, carol] = [account(), account()];
    live.set(alice.toString('hex'), alice);
    await monitors.rescan();
    live.delete(alice.toString('hex'));
    live.set(carol.toString('hex'), carol);
    await monitors.rescan();
    await monitors.settled();
    expect(monitors.accountCount).toBe(1);
    expect(sentTo()).toEqual([alice, carol].map((a) => a.toString('hex')));
  });

  it('asks a node that answered WRONG_SWARM again, five times at most', async () => {
    const dave = account();
    live.set(dave.toString('hex'), dave);
    await monitors.watch([dave]);
    await monitors.settled();
    const stream = streams[0]!;
    for (let i = 1; i <= 5; i++) {
      await eventually(() => expect(stream.sent).toHaveLength(i), 2_000);
      stream.events.refused([{ account: dave, errcode: 6 }]);
      expect(monitors.pendingRetries).toBe(1);
    }
    await eventually(() => expect(stream.sent).toHaveLength(6), 2_000);
    // The sixth refusal is left for the next renewal; other refusals are only counted.
    stream.events.refused([{ account: dave, errcode: 6 }, { account: dave, errcode: 5 }]);
    expect(monitors.pendingRetries).toBe(0);
  });

  it('sends one subscription per distinct (namespaces, data) of an account, the newest of each', () => {
    const a = account();
    const sub = (sigTs: number, namespaces: number[], wantData: boolean): MonitoredSubscription => ({ ...subscription(a), sigTs, namespaces, wantData });
    const newestFirst = [sub(9, [0], true), sub(8, [0], true), sub(7, [0], false), sub(6, [-10, 0], true), sub(5, [0], true)];
    expect(coveringSubscriptions(newestFirst).map((s) => [s.sigTs, s.namespaces.join(','), s.wantData])).toEqual([
      [9, '0', true],
      [7, '0', false],
      [6, '-10,0', true],
    ]);
  });
});
