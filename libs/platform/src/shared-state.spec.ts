import { InProcessSharedState, openSharedState, type SharedState } from './shared-state';
import { eventually, testSharedStates } from './testing';

describe.each(testSharedStates())('shared state on $name', (backend) => {
  let state: SharedState;
  beforeEach(async () => {
    state = await backend.open();
  });
  afterEach(() => state.close());

  it('reports its kind', () => {
    expect(state.kind).toBe(backend.name);
  });

  it('gets, sets, overwrites and deletes', async () => {
    expect(await state.get('k')).toBeNull();
    await state.set('k', 'v1');
    await state.set('k', 'v2');
    expect(await state.get('k')).toBe('v2');
    expect(await state.delete('k')).toBe(true);
    expect(await state.delete('k')).toBe(false);
    expect(await state.get('k')).toBeNull();
  });

  it('expires a value after its TTL', async () => {
    await state.set('short', 'x', 60);
    await state.set('long', 'y', 60_000);
    expect(await state.get('short')).toBe('x');
    await eventually(async () => expect(await state.get('short')).toBeNull(), 3000);
    expect(await state.get('long')).toBe('y');
  });

  it('setIfAbsent stores once until the TTL ends (nonce replay)', async () => {
    expect(await state.setIfAbsent('nonce:abc', '1', 80)).toBe(true);
    expect(await state.setIfAbsent('nonce:abc', '2', 80)).toBe(false);
    expect(await state.get('nonce:abc')).toBe('1');
    await eventually(async () => expect(await state.setIfAbsent('nonce:abc', '3', 60_000)).toBe(true), 3000);
    expect(await state.get('nonce:abc')).toBe('3');
  });

  it('setIfAbsent lets exactly one of many concurrent callers win', async () => {
    const results = await Promise.all(Array.from({ length: 25 }, (_, i) => state.setIfAbsent('race', String(i), 10_000)));
    expect(results.filter(Boolean)).toHaveLength(1);
  });

  it('counts in a fixed window that restarts after it ends', async () => {
    const first = await state.incr('hits', 150);
    expect(first.count).toBe(1);
    expect(first.resetInMs).toBeGreaterThan(0);
    expect(first.resetInMs).toBeLessThanOrEqual(150);
    expect((await state.incr('hits', 150)).count).toBe(2);
    const third = await state.incr('hits', 150);
    expect(third.count).toBe(3);
    expect(third.resetInMs).toBeLessThanOrEqual(first.resetInMs); // the window is not extended
    await eventually(async () => expect(await state.get('hits')).toBeNull(), 3000);
    expect((await state.incr('hits', 150)).count).toBe(1);
  });

  it('counts every concurrent increment once', async () => {
    const results = await Promise.all(Array.from({ length: 30 }, () => state.incr('burst', 60_000)));
    expect(results.map((r) => r.count).sort((a, b) => a - b)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
  });

  it('token bucket starts full, refuses when empty and says when to retry', async () => {
    const bucket = { capacity: 3, refillPerSecond: 0.5 }; // one token per 2 s: no refill during the test
    const taken = [];
    for (let i = 0; i < 3; i++) taken.push(await state.takeToken('peer', bucket));
    expect(taken.map((t) => t.allowed)).toEqual([true, true, true]);
    expect(taken.map((t) => t.retryAfterMs)).toEqual([0, 0, 0]);
    const refused = await state.takeToken('peer', bucket);
    expect(refused.allowed).toBe(false);
    expect(refused.retryAfterMs).toBeGreaterThan(1000);
    expect(refused.retryAfterMs).toBeLessThanOrEqual(2000);
    // Buckets are per key.
    expect((await state.takeToken('other-peer', bucket)).allowed).toBe(true);
  });

  it('token bucket refills over time', async () => {
    const bucket = { capacity: 2, refillPerSecond: 20 }; // one token per 50 ms
    await state.takeToken('refill', { ...bucket, cost: 2 });
    expect((await state.takeToken('refill', bucket)).allowed).toBe(false);
    await eventually(async () => expect((await state.takeToken('refill', bucket)).allowed).toBe(true), 3000);
  });

  it('token bucket never allows more than capacity to concurrent takers', async () => {
    const bucket = { capacity: 5, refillPerSecond: 0.01 };
    const results = await Promise.all(Array.from({ length: 20 }, () => state.takeToken('crowd', bucket)));
    expect(results.filter((r) => r.allowed)).toHaveLength(5);
  });

  it('rejects nonsensical arguments', async () => {
    await expect(state.takeToken('x', { capacity: 0, refillPerSecond: 1 })).rejects.toThrow('capacity must be a positive number');
    await expect(state.takeToken('x', { capacity: 1, refillPerSecond: 1, cost: 2 })).rejects.toThrow('exceeds capacity');
    await expect(state.setIfAbsent('x', 'v', 0)).rejects.toThrow('ttlMs must be a positive number');
    await expect(state.incr('x', -1)).rejects.toThrow('windowMs must be a positive number');
  });

  it('delivers published messages to every subscriber of the channel only', async () => {
    const a: string[] = [];
    const b: string[] = [];
    const other: string[] = [];
    const unsubA = await state.subscribe('wake:swarm1', (m) => a.push(m));
    await state.subscribe('wake:swarm1', (m) => b.push(m));
    await state.subscribe('wake:swarm2', (m) => other.push(m));
    await state.publish('wake:swarm1', 'new message');
    await eventually(() => {
      expect(a).toEqual(['new message']);
      expect(b).toEqual(['new message']);
    });
    await unsubA();
    await state.publish('wake:swarm1', 'second');
    await eventually(() => expect(b).toEqual(['new message', 'second']));
    expect(a).toEqual(['new message']);
    expect(other).toEqual([]);
  });
});

describe('openSharedState', () => {
  it('fails at open with a clear error, and stops retrying, when Redis is unreachable', async () => {
    const err = await openSharedState({ url: 'redis://:hunter2@127.0.0.1:1' }).catch((e: Error) => e);
    expect((err as Error).message).toMatch(/^cannot connect to Redis at 127\.0\.0\.1:1: .*ECONNREFUSED/);
    expect((err as Error).message).not.toContain('hunter2');
  });

  it('uses the in-process implementation without a URL', async () => {
    const state = await openSharedState();
    expect(state.kind).toBe('memory');
    await state.close();
    await expect(state.get('x')).rejects.toThrow('closed');
  });
});

const url = process.env.REDIS_URL;
if (url) describe('shared state between replicas (REDIS_URL)', () => {
  it('shares keys and messages between two connections with the same prefix, not with others', async () => {
    const prefix = `test_${process.pid}_${Date.now()}:`;
    const [r1, r2, stranger] = await Promise.all([
      openSharedState({ url, keyPrefix: prefix }),
      openSharedState({ url, keyPrefix: prefix }),
      openSharedState({ url, keyPrefix: `${prefix}other:` }),
    ]);
    try {
      expect(await r1.setIfAbsent('nonce', '1', 10_000)).toBe(true);
      expect(await r2.setIfAbsent('nonce', '1', 10_000)).toBe(false);
      expect(await stranger.setIfAbsent('nonce', '1', 10_000)).toBe(true);
      const got: string[] = [];
      const strangerGot: string[] = [];
      await r2.subscribe('wake', (m) => got.push(m));
      await stranger.subscribe('wake', (m) => strangerGot.push(m));
      await r1.publish('wake', 'hello');
      await eventually(() => expect(got).toEqual(['hello']));
      expect(strangerGot).toEqual([]);
    } finally {
      for (const s of [r1, r2, stranger]) {
        await s.delete('nonce');
        await s.close();
      }
    }
  });
});

if (url) describe('Redis command timing (REDIS_URL)', () => {
  it('tells the round trip of every command, named after what SharedState sends', async () => {
    const seen: string[] = [];
    const state = await openSharedState({ url, keyPrefix: `test_${process.pid}_${Date.now()}:`, observeCommand: (command, seconds) => (expect(seconds).toBeGreaterThanOrEqual(0), seen.push(command)) });
    try {
      await state.set('k', 'v');
      await state.get('k');
      await state.setIfAbsent('nonce', '1', 10_000);
      await state.incr('window', 1_000);
      await state.takeToken('bucket', { capacity: 2, refillPerSecond: 1 });
      const unsubscribe = await state.subscribe('wake', () => undefined);
      await state.publish('wake', 'x');
      await unsubscribe();
      await state.delete('k');
      await state.delete('nonce');
      expect(seen).toEqual(['set', 'get', 'set_nx', 'incr_window', 'take_token', 'subscribe', 'publish', 'unsubscribe', 'del', 'del']);
    } finally {
      await state.close();
    }
  });
});

describe('the in-process shared state under a flood of keys', () => {
  let state: InProcessSharedState;
  afterEach(() => state.close());

  it('holds at most maxKeys, forgetting the oldest counters and values first', async () => {
    state = new InProcessSharedState(60_000, { maxKeys: 100 });
    for (let i = 0; i < 1_000; i++) await state.incr(`count:${i}`, 60_000);
    expect(await state.get('count:0')).toBeNull();
    expect(await state.get('count:999')).toBe('1');
    expect(await state.get('count:900')).toBe('1');
    expect(await state.get('count:899')).toBeNull();
    await state.set('value', 'kept');
    expect(await state.get('value')).toBe('kept');
    expect(await state.get('count:900')).toBeNull();
  });

  it('refuses a new setIfAbsent key once full of live ones (a forgotten nonce could be replayed), and takes them again once some expire', async () => {
    state = new InProcessSharedState(60_000, { maxKeys: 10 });
    for (let i = 0; i < 10; i++) expect(await state.setIfAbsent(`nonce:${i}`, '1', 200)).toBe(true);
    expect(await state.setIfAbsent('nonce:new', '1', 60_000)).toBe(false);
    // Nothing was forgotten to make room: every nonce seen is still refused.
    for (let i = 0; i < 10; i++) expect(await state.setIfAbsent(`nonce:${i}`, '1', 200)).toBe(false);
    await eventually(async () => expect(await state.setIfAbsent('nonce:new', '1', 60_000)).toBe(true), { timeoutMs: 5_000, intervalMs: 100 });
  });

  it('holds at most maxBuckets token buckets, forgetting the least recently used', async () => {
    state = new InProcessSharedState(60_000, { maxBuckets: 3 });
    const bucket = { capacity: 2, refillPerSecond: 0.001 };
    await state.takeToken('a', bucket);
    await state.takeToken('a', bucket); // a is now empty
    await state.takeToken('b', bucket);
    await state.takeToken('c', bucket);
    await state.takeToken('a', bucket); // refused, and a becomes the most recently used
    await state.takeToken('d', bucket); // b goes
    expect((await state.takeToken('a', bucket)).allowed).toBe(false);
    expect((await state.takeToken('b', bucket)).remaining).toBe(1); // forgotten: it starts full again
  });
});
