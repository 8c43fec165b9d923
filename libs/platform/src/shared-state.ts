// SharedState: the small set of operations that replicas of a service share through Redis
// (nonce replay cache, rate limits, wake-ups for waiting readers). Without REDIS_URL, the
// in-process implementation gives the same semantics for a single replica.
//
// Semantics common to both implementations:
//   - keys and values are strings; TTLs are in milliseconds; an expired key reads as absent.
//   - setIfAbsent(key, value, ttlMs): true when this call stored the value (first use of a nonce).
//   - incr(key, windowMs): fixed window counter; the first increment starts the window, the key
//     disappears when the window ends. Returns the count and the time left in the window.
//   - takeToken(key, { capacity, refillPerSecond, cost }): token bucket, atomic across replicas.
//     A new bucket starts full. When refused, retryAfterMs says when `cost` tokens will be there.
//   - publish/subscribe: fire-and-forget wake-ups; a message published before subscribe() resolved
//     may be missed, so waiters re-check their condition after subscribing.
import { EventEmitter } from 'events';

export interface TokenBucketOptions {
  capacity: number;
  refillPerSecond: number;
  /** Tokens this call takes (default 1). */
  cost?: number;
}

export interface TokenBucketResult {
  allowed: boolean;
  /** 0 when allowed; otherwise milliseconds until the request would be allowed. */
  retryAfterMs: number;
  /** Tokens left after this call (may be fractional). */
  remaining: number;
}

export interface WindowCount {
  count: number;
  /** Milliseconds until the window ends and the count restarts. */
  resetInMs: number;
}

export type Unsubscribe = () => Promise<void>;

export interface SharedState {
  readonly kind: 'redis' | 'memory';
  get(key: string): Promise<string | null>;
  /** Stores value; without ttlMs it stays until deleted. */
  set(key: string, value: string, ttlMs?: number): Promise<void>;
  setIfAbsent(key: string, value: string, ttlMs: number): Promise<boolean>;
  /** True when a key was removed. */
  delete(key: string): Promise<boolean>;
  incr(key: string, windowMs: number): Promise<WindowCount>;
  takeToken(key: string, bucket: TokenBucketOptions): Promise<TokenBucketResult>;
  publish(channel: string, message: string): Promise<void>;
  /** Resolves once the subscription is active. */
  subscribe(channel: string, onMessage: (message: string) => void): Promise<Unsubscribe>;
  close(): Promise<void>;
}

export interface OpenSharedStateOptions {
  /** redis:// URL; when absent, the in-process implementation is used. */
  url?: string;
  /** Prefix for every key and channel (e.g. `open-groups:`), so services share one Redis. */
  keyPrefix?: string;
  /** Told the round trip of every Redis command (redis_command_duration_seconds); Redis only. */
  observeCommand?: (command: string, seconds: number) => void;
}

export async function openSharedState(options: OpenSharedStateOptions = {}): Promise<SharedState> {
  if (options.url) {
    const { openRedisSharedState } = await import('./redis-shared-state');
    return openRedisSharedState(options.url, options.keyPrefix ?? '', options.observeCommand);
  }
  return new InProcessSharedState();
}

export function checkPositive(what: string, n: number): void {
  if (!Number.isFinite(n) || n <= 0) throw new RangeError(`${what} must be a positive number, got ${n}`);
}

export function checkBucket(b: TokenBucketOptions): number {
  checkPositive('capacity', b.capacity);
  checkPositive('refillPerSecond', b.refillPerSecond);
  const cost = b.cost ?? 1;
  checkPositive('cost', cost);
  if (cost > b.capacity) throw new RangeError(`cost ${cost} exceeds capacity ${b.capacity}: it could never be allowed`);
  return cost;
}

interface Entry {
  value: string;
  expiresAt: number; // Infinity = no expiry
}

/**
 * How much one process keeps, whatever its clients send: keys are named by client input (nonces,
 * client addresses' buckets, message hashes), so without a bound memory grows with traffic.
 * About 200 bytes a key: the defaults hold at most some 200 MB of keys and 20 MB of buckets.
 */
export interface InProcessLimits {
  maxKeys: number;
  maxBuckets: number;
}

export const DEFAULT_IN_PROCESS_LIMITS: InProcessLimits = { maxKeys: 1_000_000, maxBuckets: 100_000 };

/** When full, expired keys are swept at most this often (a sweep walks every key). */
const FULL_SWEEP_INTERVAL_MS = 1_000;

/**
 * Single-process SharedState: a Map with lazy expiry plus a periodic sweep of expired keys, within
 * InProcessLimits. When it is full of live keys it must forget or refuse something: a counter or
 * a plain value is forgotten oldest first (a rate limit forgotten is only lenient), a token bucket
 * least recently used first (that client starts full again); setIfAbsent refuses (answers "already
 * there"), because a store that has forgotten keys can no longer tell a first use from a replay.
 */
export class InProcessSharedState implements SharedState {
  readonly kind = 'memory' as const;
  private readonly entries = new Map<string, Entry>();
  private readonly buckets = new Map<string, { tokens: number; at: number; expiresAt: number }>();
  private readonly bus = new EventEmitter();
  private readonly sweeper: NodeJS.Timeout;
  private readonly limits: InProcessLimits;
  private lastFullSweep = 0;
  private closed = false;

  constructor(sweepIntervalMs = 30_000, limits: Partial<InProcessLimits> = {}) {
    this.limits = { ...DEFAULT_IN_PROCESS_LIMITS, ...limits };
    this.bus.setMaxListeners(0);
    this.sweeper = setInterval(() => this.sweep(), sweepIntervalMs);
    this.sweeper.unref();
  }

  private live(key: string, now = Date.now()): Entry | undefined {
    const e = this.entries.get(key);
    if (e && e.expiresAt <= now) {
      this.entries.delete(key);
      return undefined;
    }
    return e;
  }

  private sweep(): void {
    const now = Date.now();
    for (const [k, e] of this.entries) if (e.expiresAt <= now) this.entries.delete(k);
    for (const [k, b] of this.buckets) if (b.expiresAt <= now) this.buckets.delete(k);
  }

  /** Room for one more key in `map`: true when there is, after sweeping expired keys (at most once a second). */
  private roomIn(map: Map<string, unknown>, max: number): boolean {
    if (map.size < max) return true;
    const now = Date.now();
    if (now - this.lastFullSweep >= FULL_SWEEP_INTERVAL_MS) {
      this.lastFullSweep = now;
      this.sweep();
    }
    return map.size < max;
  }

  /** Makes room for a new key by forgetting the oldest one(s). */
  private evictFor(map: Map<string, unknown>, max: number): void {
    if (this.roomIn(map, max)) return;
    for (const key of map.keys()) {
      map.delete(key);
      if (map.size < max) return;
    }
  }

  /** Sets a new or existing key, forgetting the oldest keys when it is new and there is no room. */
  private store(key: string, entry: Entry): void {
    if (!this.entries.has(key)) this.evictFor(this.entries, this.limits.maxKeys);
    this.entries.set(key, entry);
  }

  private ensureOpen(): void {
    if (this.closed) throw new Error('SharedState is closed');
  }

  async get(key: string): Promise<string | null> {
    this.ensureOpen();
    return this.live(key)?.value ?? null;
  }

  async set(key: string, value: string, ttlMs?: number): Promise<void> {
    this.ensureOpen();
    if (ttlMs !== undefined) checkPositive('ttlMs', ttlMs);
    this.store(key, { value, expiresAt: ttlMs === undefined ? Infinity : Date.now() + ttlMs });
  }

  async setIfAbsent(key: string, value: string, ttlMs: number): Promise<boolean> {
    this.ensureOpen();
    checkPositive('ttlMs', ttlMs);
    if (this.live(key)) return false;
    // Full of live keys: whether this key was seen and forgotten cannot be told, so it counts as seen.
    if (!this.roomIn(this.entries, this.limits.maxKeys)) return false;
    this.entries.set(key, { value, expiresAt: Date.now() + ttlMs });
    return true;
  }

  async delete(key: string): Promise<boolean> {
    this.ensureOpen();
    const existed = this.live(key) !== undefined;
    this.entries.delete(key);
    return existed;
  }

  async incr(key: string, windowMs: number): Promise<WindowCount> {
    this.ensureOpen();
    checkPositive('windowMs', windowMs);
    const now = Date.now();
    const e = this.live(key, now);
    const prev = e ? Number(e.value) : 0;
    if (e && !Number.isInteger(prev)) throw new Error(`value of ${key} is not an integer`);
    const expiresAt = e && e.expiresAt !== Infinity ? e.expiresAt : now + windowMs;
    this.store(key, { value: String(prev + 1), expiresAt });
    return { count: prev + 1, resetInMs: expiresAt - now };
  }

  async takeToken(key: string, bucket: TokenBucketOptions): Promise<TokenBucketResult> {
    this.ensureOpen();
    const cost = checkBucket(bucket);
    const now = Date.now();
    const b = this.buckets.get(key);
    let tokens = b && b.expiresAt > now ? b.tokens : bucket.capacity;
    const at = b && b.expiresAt > now ? b.at : now;
    tokens = Math.min(bucket.capacity, tokens + (Math.max(0, now - at) * bucket.refillPerSecond) / 1000);
    const result = takeFrom(tokens, cost, bucket.refillPerSecond);
    // Re-inserted on every use, so that the first key in the map is the least recently used.
    if (b) this.buckets.delete(key);
    else this.evictFor(this.buckets, this.limits.maxBuckets);
    this.buckets.set(key, { tokens: result.remaining, at: now, expiresAt: now + fullAfterMs(bucket) });
    return result;
  }

  async publish(channel: string, message: string): Promise<void> {
    this.ensureOpen();
    // Deliver asynchronously, like Redis, so a publisher never runs subscriber code inline.
    setImmediate(() => this.bus.emit(channel, message));
  }

  async subscribe(channel: string, onMessage: (message: string) => void): Promise<Unsubscribe> {
    this.ensureOpen();
    this.bus.on(channel, onMessage);
    return async () => void this.bus.off(channel, onMessage);
  }

  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.sweeper);
    this.bus.removeAllListeners();
    this.entries.clear();
    this.buckets.clear();
  }
}

/** Shared by both implementations' token bucket (the Redis one does the same in Lua). */
function takeFrom(tokens: number, cost: number, refillPerSecond: number): TokenBucketResult {
  if (tokens >= cost) return { allowed: true, retryAfterMs: 0, remaining: tokens - cost };
  return { allowed: false, retryAfterMs: Math.ceil(((cost - tokens) * 1000) / refillPerSecond), remaining: tokens };
}

/** After this long untouched, a bucket is full again and need not be stored. */
export function fullAfterMs(b: TokenBucketOptions): number {
  return Math.ceil((b.capacity * 1000) / b.refillPerSecond) + 1000;
}
