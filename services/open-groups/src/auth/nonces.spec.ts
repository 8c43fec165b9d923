// Spent nonces in the database: first claim wins, also among claims made at the same moment;
// expired ones are pruned.
import { migrate, openDatabase, type Database } from '@starling/platform';
import { MIGRATIONS_DIR } from '../settings';
import { DatabaseNonces } from './nonces';

describe('DatabaseNonces', () => {
  let db: Database;
  beforeAll(async () => {
    db = await openDatabase();
    await migrate(db, MIGRATIONS_DIR);
  });
  afterAll(() => db.close());

  const nonce = (n: number) => new Uint8Array(16).fill(n);

  it('is fresh once, then spent', async () => {
    const nonces = new DatabaseNonces(db);
    expect(await nonces.claim(nonce(1), 2000)).toBe(true);
    expect(await nonces.claim(nonce(1), 2000)).toBe(false);
    expect(await nonces.claim(nonce(2), 2000)).toBe(true);
  });

  it('gives a nonce claimed many times at once to exactly one claimant', async () => {
    const nonces = new DatabaseNonces(db);
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => nonces.claim(nonce(i % 2 ? 3 : 4), 2000)));
    expect(results.filter(Boolean)).toHaveLength(2);
    expect(results.filter((r, i) => r && i % 2)).toHaveLength(1);
  });

  it('forgets nonces whose time is up', async () => {
    const nonces = new DatabaseNonces(db);
    await nonces.claim(nonce(5), 1000);
    await nonces.claim(nonce(6), 3000);
    await nonces.prune(1000);
    const left = await db.query<{ nonce: Buffer }>('SELECT nonce FROM nonces WHERE nonce = ANY($1::bytea[])', [[nonce(5), nonce(6)].map((n) => Buffer.from(n))]);
    expect(left.rows.map((r) => r.nonce[0])).toEqual([6]);
    expect(await nonces.claim(nonce(5), 4000)).toBe(true);
  });
});
