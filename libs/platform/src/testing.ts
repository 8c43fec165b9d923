// Test helpers shared by every project's storage and integration suites.
//   describe.each(testDatabases())('rooms on $name', (backend) => { ... await backend.open() ... })
// PGlite and the in-process state always run; real PostgreSQL / Redis join when DATABASE_URL /
// REDIS_URL are set. Each open() gets a fresh, uniquely named schema or key prefix that its
// close() removes, so parallel test runs on one server do not see each other.
// Docker (testcontainers) is not used: it is not installed here; set the URLs instead.
import { randomBytes } from 'crypto';
import { request as httpRequest } from 'http';
import { request as httpsRequest } from 'https';
import { openDatabase, type Database } from './database';
import { openSharedState, type SharedState } from './shared-state';

export interface EventuallyOptions {
  timeoutMs?: number;
  intervalMs?: number;
}

/**
 * Calls fn until it returns without throwing (and returns its value), or rethrows its last error
 * once timeoutMs (default 5000) has passed. For replication, expiry and wake-ups: never sleep.
 */
export async function eventually<T>(fn: () => T | Promise<T>, options: EventuallyOptions | number = {}): Promise<T> {
  const { timeoutMs = 5000, intervalMs = 20 } = typeof options === 'number' ? { timeoutMs: options } : options;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await fn();
    } catch (err) {
      if (Date.now() >= deadline) throw err;
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

export interface TestBackend<T> {
  /** 'pglite' | 'pg' | 'memory' | 'redis' */
  name: string;
  /** A fresh, isolated instance; its close() also removes what the test created. */
  open(): Promise<T>;
}

/** A name no other test run on the same server will use: `<tag>_<pid>_<random>`. */
export function uniqueName(tag = 't'): string {
  return `${tag}_${process.pid}_${randomBytes(4).toString('hex')}`.toLowerCase();
}

const announced = new Set<string>();
function announce(what: string, names: string[]): void {
  const line = `${what} backends: ${names.join(', ')}`;
  if (announced.has(line)) return;
  announced.add(line);
  console.info(line);
}

export function testDatabases(env: Record<string, string | undefined> = process.env): TestBackend<Database>[] {
  const backends: TestBackend<Database>[] = [{ name: 'pglite', open: () => openDatabase() }];
  const url = env.DATABASE_URL;
  if (url) {
    backends.push({
      name: 'pg',
      async open() {
        const schema = uniqueName('test');
        const db = await openDatabase({ url, schema, poolSize: 8 });
        return {
          ...db,
          async close() {
            await db.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
            await db.close();
          },
        };
      },
    });
  }
  if (env === process.env) announce('database', backends.map((b) => b.name));
  return backends;
}

export function testSharedStates(env: Record<string, string | undefined> = process.env): TestBackend<SharedState>[] {
  const backends: TestBackend<SharedState>[] = [{ name: 'memory', open: () => openSharedState() }];
  const url = env.REDIS_URL;
  if (url) {
    backends.push({
      name: 'redis',
      async open() {
        const keyPrefix = `${uniqueName('test')}:`;
        const state = await openSharedState({ url, keyPrefix });
        return {
          ...state,
          async close() {
            await deleteRedisPrefix(url, keyPrefix);
            await state.close();
          },
        };
      },
    });
  }
  if (env === process.env) announce('shared state', backends.map((b) => b.name));
  return backends;
}

async function deleteRedisPrefix(url: string, prefix: string): Promise<void> {
  const { default: Redis } = await import('ioredis');
  const redis = new Redis(url);
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
      if (keys.length > 0) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    await redis.quit();
  }
}

export interface TestAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  text: string;
}

/**
 * One HTTP(S) request as a client of a node makes it: HTTPS with any certificate accepted (nodes
 * use self-signed ones, as upstream; clients authenticate nodes by their onion keys), a fresh
 * connection, the whole answer read.
 */
export function request(url: string, init: { method?: string; body?: string | Uint8Array; headers?: Record<string, string> } = {}): Promise<TestAnswer> {
  const target = new URL(url);
  const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = send(target, { method: init.method ?? (init.body === undefined ? 'GET' : 'POST'), headers: init.headers, rejectUnauthorized: false, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const body = Buffer.concat(chunks);
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body, text: body.toString('utf8') });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(init.body);
  });
}
