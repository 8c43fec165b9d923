// SharedState on Redis (ioredis). Multi-step operations are Lua scripts so that replicas racing
// on one key stay correct; the token bucket reads the clock of the Redis server, so replicas with
// skewed clocks still agree.
import Redis from 'ioredis';
import { checkBucket, checkPositive, fullAfterMs, type SharedState, type Unsubscribe } from './shared-state';

const INCR_WINDOW = `
local c = redis.call('INCR', KEYS[1])
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
return {c, ttl}`;

// KEYS[1] bucket hash {tokens, at}; ARGV: capacity, refillPerSecond, cost, keepMs.
// Fractional token counts travel as strings: Lua numbers returned to Redis are truncated.
const TAKE_TOKEN = `
local capacity = tonumber(ARGV[1])
local rate = tonumber(ARGV[2])
local cost = tonumber(ARGV[3])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local b = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(b[1]) or capacity
local at = tonumber(b[2]) or now
if now > at then tokens = math.min(capacity, tokens + (now - at) * rate / 1000) end
local allowed = 0
local retry = 0
if tokens >= cost then
  tokens = tokens - cost
  allowed = 1
else
  retry = math.ceil((cost - tokens) * 1000 / rate)
end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(now))
redis.call('PEXPIRE', KEYS[1], ARGV[4])
return {allowed, retry, tostring(tokens)}`;

type ScriptedRedis = Redis & {
  incrWindow(key: string, windowMs: number): Promise<[number, number]>;
  takeToken(key: string, capacity: number, rate: number, cost: number, keepMs: number): Promise<[number, number, string]>;
};

/** The commands SharedState sends, as `redis_command_duration_seconds` labels them. */
export const REDIS_COMMANDS = ['get', 'set', 'set_nx', 'del', 'incr_window', 'take_token', 'publish', 'subscribe', 'unsubscribe'] as const;
export type RedisCommand = (typeof REDIS_COMMANDS)[number];

export async function openRedisSharedState(
  url: string,
  keyPrefix: string,
  observe?: (command: RedisCommand, seconds: number) => void,
): Promise<SharedState> {
  const redis = new Redis(url, { keyPrefix, lazyConnect: true, maxRetriesPerRequest: 3 }) as ScriptedRedis;
  redis.defineCommand('incrWindow', { numberOfKeys: 1, lua: INCR_WINDOW });
  redis.defineCommand('takeToken', { numberOfKeys: 1, lua: TAKE_TOKEN });
  // Connection errors surface on the commands; the listener only keeps them from crashing the
  // process, and remembers the cause for the start-up error below.
  let lastError: Error | undefined;
  redis.on('error', (err: Error) => void (lastError = err));
  try {
    await redis.connect();
  } catch (err) {
    redis.disconnect(); // stop reconnecting, so a failed start does not keep the process alive
    throw new Error(`cannot connect to Redis at ${where(url)}: ${(lastError ?? (err as Error)).message}`);
  }

  // A subscribed connection can do nothing else, so it is opened on the first subscribe().
  let subscriber: Promise<Redis> | undefined;
  // Per channel: its handlers and the SUBSCRIBE in flight, which later subscribers also await.
  const channels = new Map<string, { handlers: Set<(m: string) => void>; ready: Promise<unknown> }>();
  const channelName = (c: string) => keyPrefix + c; // ioredis does not prefix channels

  const getSubscriber = (): Promise<Redis> =>
    (subscriber ??= (async () => {
      const sub = new Redis(url, { lazyConnect: true });
      sub.on('error', () => undefined);
      sub.on('message', (channel: string, message: string) => {
        for (const h of channels.get(channel)?.handlers ?? []) h(message);
      });
      await sub.connect();
      return sub;
    })());

  // Round trip of each operation, named after what it sends (a script is one command).
  const timed = <T>(command: RedisCommand, run: () => Promise<T>): Promise<T> => {
    if (!observe) return run();
    const started = process.hrtime.bigint();
    const done = () => observe(command, Number(process.hrtime.bigint() - started) / 1e9);
    return run().finally(done);
  };

  return {
    kind: 'redis',
    get: (key) => timed('get', () => redis.get(key)),
    async set(key, value, ttlMs) {
      if (ttlMs === undefined) await timed('set', () => redis.set(key, value));
      else {
        checkPositive('ttlMs', ttlMs);
        await timed('set', () => redis.set(key, value, 'PX', Math.ceil(ttlMs)));
      }
    },
    async setIfAbsent(key, value, ttlMs) {
      checkPositive('ttlMs', ttlMs);
      return (await timed('set_nx', () => redis.set(key, value, 'PX', Math.ceil(ttlMs), 'NX'))) === 'OK';
    },
    delete: async (key) => (await timed('del', () => redis.del(key))) > 0,
    async incr(key, windowMs) {
      checkPositive('windowMs', windowMs);
      const [count, resetInMs] = await timed('incr_window', () => redis.incrWindow(key, Math.ceil(windowMs)));
      return { count, resetInMs };
    },
    async takeToken(key, bucket) {
      const cost = checkBucket(bucket);
      const [allowed, retryAfterMs, remaining] = await timed('take_token', () =>
        redis.takeToken(key, bucket.capacity, bucket.refillPerSecond, cost, fullAfterMs(bucket)),
      );
      return { allowed: allowed === 1, retryAfterMs, remaining: Number(remaining) };
    },
    async publish(channel, message) {
      await timed('publish', () => redis.publish(channelName(channel), message));
    },
    async subscribe(channel, onMessage): Promise<Unsubscribe> {
      const sub = await getSubscriber();
      const name = channelName(channel);
      let entry = channels.get(name);
      if (!entry) {
        entry = { handlers: new Set(), ready: timed('subscribe', () => sub.subscribe(name)) };
        channels.set(name, entry);
      }
      entry.handlers.add(onMessage);
      await entry.ready;
      return async () => {
        const current = channels.get(name);
        if (!current?.handlers.delete(onMessage) || current.handlers.size > 0) return;
        channels.delete(name);
        await timed('unsubscribe', () => sub.unsubscribe(name));
      };
    },
    async close() {
      const sub = subscriber ? await subscriber.catch(() => undefined) : undefined;
      await Promise.all([redis.quit(), sub?.quit()]);
    },
  };
}

/** host:port of a URL, without credentials, for error messages. */
export function where(url: string): string {
  try {
    const u = new URL(url);
    return u.host;
  } catch {
    return '(unparseable URL)';
  }
}
