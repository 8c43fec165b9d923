import { openDatabase } from './database';
import { eventually, testDatabases, testSharedStates, uniqueName } from './testing';

describe('eventually', () => {
  it('retries until the check passes and returns its value', async () => {
    let calls = 0;
    const value = await eventually(() => {
      calls += 1;
      if (calls < 3) throw new Error('not yet');
      return 'done';
    }, { timeoutMs: 2000, intervalMs: 1 });
    expect(value).toBe('done');
    expect(calls).toBe(3);
  });

  it('rethrows the last error once the time is up', async () => {
    let calls = 0;
    await expect(
      eventually(() => {
        calls += 1;
        throw new Error(`attempt ${calls}`);
      }, { timeoutMs: 30, intervalMs: 5 }),
    ).rejects.toThrow(`attempt`);
    expect(calls).toBeGreaterThan(1);
  });
});

describe('test backends', () => {
  it('always includes PGlite and the in-process state; pg and Redis only with their URLs', () => {
    expect(testDatabases({}).map((b) => b.name)).toEqual(['pglite']);
    expect(testDatabases({ DATABASE_URL: 'postgres://x/y' }).map((b) => b.name)).toEqual(['pglite', 'pg']);
    expect(testSharedStates({}).map((b) => b.name)).toEqual(['memory']);
    expect(testSharedStates({ REDIS_URL: 'redis://x' }).map((b) => b.name)).toEqual(['memory', 'redis']);
  });

  it('makes unique lower-case names', () => {
    const a = uniqueName('Room');
    expect(a).toMatch(/^room_\d+_[0-9a-f]{8}$/);
    expect(uniqueName('room')).not.toBe(a);
  });

  const url = process.env.DATABASE_URL;
  if (url) it('drops the pg test schema on close', async () => {
    const pg = testDatabases().find((b) => b.name === 'pg')!;
    const db = await pg.open();
    await db.exec('CREATE TABLE t (x int)');
    const schema = db.schema!;
    await db.close();
    const check = await openDatabase({ url });
    try {
      expect((await check.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [schema])).rowCount).toBe(0);
    } finally {
      await check.close();
    }
  });

  if (process.env.REDIS_URL) it('removes the Redis test keys on close', async () => {
    const redis = testSharedStates().find((b) => b.name === 'redis')!;
    const state = await redis.open();
    await state.set('left-over', 'x');
    await state.close();
    const { default: Redis } = await import('ioredis');
    const raw = new Redis(process.env.REDIS_URL!);
    try {
      const keys = await raw.keys(`test_${process.pid}_*left-over`);
      expect(keys).toEqual([]);
    } finally {
      await raw.quit();
    }
  });
});
