// The monitor registry: subscribe and renew per stream, notices for new messages in watched
// namespaces (data only for streams that asked), the 65-minute lifetime and its sweep, a stream
// that ends, and accounts that move to another swarm.
import { randomBytes } from 'crypto';
import { identityFromSeed, messageHash, monitorSigningText, ready, signEd25519 } from '@starling/crypto';
import type { StoredMessage } from '../storage/message-store';
import { MONITOR_LIFETIME_MS, MonitorRegistry } from './monitor-registry';
import type { MonitorSubscriptionInput } from './monitor-subscription';

beforeAll(ready);

const clock = { now: 1_700_000_000_000 };
type Stream = { name: string };

function subscriber(seedByte: number) {
  const id = identityFromSeed(new Uint8Array(32).fill(seedByte));
  const account = Buffer.from(id.sessionId, 'hex');
  return {
    account,
    sub(namespaces: number[], wantData = false): MonitorSubscriptionInput {
      const t = Math.floor(clock.now / 1000);
      const signature = signEd25519(id.ed25519.secretKey, Buffer.from(monitorSigningText(account, t, wantData, namespaces)));
      return { sessionEd25519: id.ed25519.publicKey, namespaces, wantData, signatureTimestamp: t, signature };
    },
    message(namespace: number, data = randomBytes(40)): StoredMessage {
      return { owner: account, namespace, hash: messageHash(account, namespace, data), timestampMs: clock.now, expiryMs: clock.now + 86_400_000, data };
    },
  };
}

describe('monitor registry', () => {
  let alice: ReturnType<typeof subscriber>;
  let bob: ReturnType<typeof subscriber>;
  beforeAll(() => {
    alice = subscriber(1);
    bob = subscriber(2);
  });
  const push1: Stream = { name: 'push-1' };
  const push2: Stream = { name: 'push-2' };
  let registry: MonitorRegistry<Stream>;
  beforeEach(() => (registry = new MonitorRegistry<Stream>({ now: () => clock.now })));

  it('answers one outcome per subscription, in order', () => {
    const bad = { ...alice.sub([0]), namespaces: [0, 1] };
    expect(registry.subscribe(push1, [alice.sub([0]), bad, bob.sub([0])])).toEqual([
      { errcode: 0, error: '' },
      { errcode: 5, error: 'Signature verification failed' },
      { errcode: 0, error: '' },
    ]);
    expect(registry.size).toBe(2);
  });

  it('notifies each watching stream once per new message in a watched namespace', () => {
    registry.subscribe(push1, [alice.sub([0, 5])]);
    registry.subscribe(push2, [alice.sub([0])]);
    const m0 = alice.message(0);
    const out = registry.onStored(m0);
    expect(out.map((o) => o.stream)).toEqual([push1, push2]);
    expect(out[0]!.notice).toEqual({ account: alice.account, hash: m0.hash, namespace: 0, timestampMs: m0.timestampMs, expiryMs: m0.expiryMs });
    expect(registry.onStored(alice.message(5)).map((o) => o.stream)).toEqual([push1]);
    expect(registry.onStored(alice.message(3))).toEqual([]);
    expect(registry.onStored(bob.message(0))).toEqual([]);
  });

  it('includes the data only for a stream that asked for it', () => {
    registry.subscribe(push1, [alice.sub([0], true)]);
    registry.subscribe(push2, [alice.sub([0], false)]);
    const m = alice.message(0);
    const [withData, without] = registry.onStored(m);
    expect(withData!.notice.data).toBe(m.data);
    expect(without!.notice.data).toBeUndefined();
  });

  it('merges a renewal on the same stream: namespaces joined, data kept once asked, lifetime restarted', () => {
    registry.subscribe(push1, [alice.sub([0, 5], true)]);
    clock.now += MONITOR_LIFETIME_MS - 1000;
    registry.subscribe(push1, [alice.sub([2, 5], false)]);
    expect(registry.size).toBe(1);
    clock.now += 60_000; // past the first lifetime, within the renewed one
    for (const ns of [0, 2, 5]) {
      const [o] = registry.onStored(alice.message(ns));
      expect(o!.notice.data).toBeDefined();
    }
  });

  it('stops notifying after 65 minutes without renewal, and sweep removes the entry', () => {
    registry.subscribe(push1, [alice.sub([0])]);
    clock.now += MONITOR_LIFETIME_MS;
    expect(registry.onStored(alice.message(0))).toHaveLength(1);
    expect(registry.sweep()).toBe(0);
    clock.now += 1;
    expect(registry.onStored(alice.message(0))).toEqual([]);
    expect(registry.sweep()).toBe(1);
    expect(registry.size).toBe(0);
  });

  it('forgets everything of a stream that ended', () => {
    registry.subscribe(push1, [alice.sub([0]), bob.sub([0])]);
    registry.subscribe(push2, [alice.sub([0])]);
    expect(registry.closeStream(push1)).toBe(2);
    expect(registry.onStored(alice.message(0)).map((o) => o.stream)).toEqual([push2]);
    expect(registry.onStored(bob.message(0))).toEqual([]);
  });

  it('drops accounts that left the swarm and tells each watching stream', () => {
    registry.subscribe(push1, [alice.sub([0]), bob.sub([0])]);
    registry.subscribe(push2, [alice.sub([0])]);
    const ended = registry.dropForeign((account) => !account.equals(alice.account));
    expect(ended.map((e) => [e.stream.name, e.ended.account.equals(alice.account), e.ended.errcode])).toEqual([
      ['push-1', true, 6],
      ['push-2', true, 6],
    ]);
    expect(registry.onStored(alice.message(0))).toEqual([]);
    expect(registry.onStored(bob.message(0))).toHaveLength(1);
  });

  it('refuses with WRONG_SWARM when the node does not hold the account', () => {
    const mine = new MonitorRegistry<Stream>({ now: () => clock.now, isOurs: (a) => a.equals(bob.account) });
    expect(mine.subscribe(push1, [alice.sub([0]), bob.sub([0])]).map((o) => o.errcode)).toEqual([6, 0]);
  });
});
