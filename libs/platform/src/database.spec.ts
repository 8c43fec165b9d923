import { promises as fs } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { openDatabase, type Database } from './database';
import { testDatabases } from './testing';

// Starting PGlite (WASM PostgreSQL) takes seconds on a busy machine.
jest.setTimeout(60_000);

describe.each(testDatabases())('database on $name', (backend) => {
  let db: Database;
  beforeAll(async () => {
    db = await backend.open();
    await db.exec(`
      CREATE TABLE item (id bigserial PRIMARY KEY, name text NOT NULL UNIQUE, data bytea, big bigint, amount numeric);
      CREATE TABLE counter (id int PRIMARY KEY, n int NOT NULL);
      INSERT INTO counter VALUES (1, 0);
    `);
  });
  afterAll(() => db.close());

  it('reports its kind', () => {
    expect(db.kind).toBe(backend.name);
  });

  it('runs parameterised queries and counts rows', async () => {
    const ins = await db.query('INSERT INTO item (name) VALUES ($1), ($2)', ['a', 'b']);
    expect(ins.rowCount).toBe(2);
    const sel = await db.query<{ name: string }>('SELECT name FROM item WHERE name = ANY($1) ORDER BY name', [['a', 'b', 'z']]);
    expect(sel.rows).toEqual([{ name: 'a' }, { name: 'b' }]);
    expect(sel.rowCount).toBe(2);
    const none = await db.query('SELECT 1 FROM item WHERE false');
    expect(none).toEqual({ rows: [], rowCount: 0 });
    const del = await db.query('DELETE FROM item WHERE name IN ($1, $2)', ['a', 'b']);
    expect(del.rowCount).toBe(2);
  });

  it('runs a named statement again and again, with the same results as plain text', async () => {
    await db.query('INSERT INTO item (name, big) VALUES ($1, 1), ($2, 2), ($3, 3)', ['n1', 'n2', 'n3']);
    const byName = { name: 'item_big_by_name', text: 'SELECT big FROM item WHERE name = $1' };
    for (const [name, big] of [['n1', '1'], ['n2', '2'], ['n3', '3'], ['n1', '1'], ['none', undefined]] as const) {
      const named = await db.query<{ big: string }>(byName, [name]);
      const plain = await db.query<{ big: string }>(byName.text, [name]);
      expect(named).toEqual(plain);
      expect(named.rows[0]?.big).toBe(big);
    }
    await db.transaction(async (tx) => expect((await tx.query<{ big: string }>(byName, ['n2'])).rows).toEqual([{ big: '2' }]));
    await db.query('DELETE FROM item WHERE name LIKE $1', ['n_']);
  });

  it('round-trips bytea from Buffer and Uint8Array as Buffer', async () => {
    const bytes = Buffer.from([0, 1, 2, 254, 255, 0x5c, 0x78]); // includes "\x"
    await db.query('INSERT INTO item (name, data) VALUES ($1, $2), ($3, $4)', ['buf', bytes, 'u8', new Uint8Array(bytes)]);
    const { rows } = await db.query<{ data: Buffer }>('SELECT data FROM item WHERE name IN ($1, $2) ORDER BY name', ['buf', 'u8']);
    for (const row of rows) {
      expect(Buffer.isBuffer(row.data)).toBe(true);
      expect(row.data.equals(bytes)).toBe(true);
    }
    // A view into a larger buffer sends its own bytes only; an array of bytea and bytea's text form too.
    const view = Buffer.concat([Buffer.from('before'), bytes, Buffer.from('after')]).subarray(6, 6 + bytes.length);
    const sent = await db.query<{ v: Buffer; n: number; t: Buffer }>('SELECT $1::bytea AS v, cardinality($2::bytea[]) AS n, $3::bytea AS t', [view, [bytes, view], '\\x5c78']);
    expect(sent.rows[0]!.v.equals(bytes)).toBe(true);
    expect(sent.rows[0]!.n).toBe(2);
    expect(sent.rows[0]!.t.equals(Buffer.from([0x5c, 0x78]))).toBe(true);
    expect((await db.query('SELECT 1 FROM item WHERE data = ANY($1::bytea[])', [[view]])).rows).toHaveLength(2);
    const empty = await db.query<{ e: Buffer }>("SELECT ''::bytea AS e");
    expect(Buffer.isBuffer(empty.rows[0]!.e)).toBe(true);
    expect(empty.rows[0]!.e.length).toBe(0);
  });

  it('returns bigint and numeric as strings, exactly', async () => {
    const big = '9223372036854775807';
    await db.query('INSERT INTO item (name, big, amount) VALUES ($1, $2, $3)', ['big', big, '12345678901234567890.25']);
    await db.query('INSERT INTO item (name, big) VALUES ($1, $2)', ['bigint-param', 9007199254740993n]);
    const { rows } = await db.query<{ big: string; amount: string | null; small: string; cnt: string }>(
      `SELECT big, amount, 5::int8 AS small, (SELECT count(*) FROM item) AS cnt FROM item WHERE name = ANY($1) ORDER BY name`,
      [['big', 'bigint-param']],
    );
    expect(rows[0]).toMatchObject({ big, amount: '12345678901234567890.25', small: '5' });
    expect(rows[1]!.big).toBe('9007199254740993');
    expect(typeof rows[0]!.cnt).toBe('string');
    const { rows: ids } = await db.query<{ id: string }>('SELECT id FROM item WHERE name = $1', ['big']);
    expect(ids[0]!.id).toMatch(/^\d+$/);
  });

  it('converts dates, json, booleans and arrays the same way', async () => {
    const at = new Date('2024-02-29T12:34:56.789Z');
    const { rows } = await db.query<{ at: Date; j: unknown; ok: boolean; ids: number[]; names: string[] }>(
      'SELECT $1::timestamptz AS at, $2::jsonb AS j, $3::boolean AS ok, $4::int[] AS ids, $5::text[] AS names',
      [at, { room: 'lobby', seqno: [1, 2] }, true, [3, 1, 2], ['a', 'b,c']],
    );
    expect(rows[0]!.at).toBeInstanceOf(Date);
    expect(rows[0]!.at.getTime()).toBe(at.getTime());
    expect(rows[0]).toEqual({ at, j: { room: 'lobby', seqno: [1, 2] }, ok: true, ids: [3, 1, 2], names: ['a', 'b,c'] });
  });

  it('commits a transaction', async () => {
    const result = await db.transaction(async (tx) => {
      await tx.query('INSERT INTO item (name) VALUES ($1)', ['committed']);
      return (await tx.query<{ n: string }>('SELECT count(*) AS n FROM item WHERE name = $1', ['committed'])).rows[0]!.n;
    });
    expect(result).toBe('1');
    expect((await db.query('SELECT 1 FROM item WHERE name = $1', ['committed'])).rowCount).toBe(1);
  });

  it('rolls back a transaction that throws, and rethrows', async () => {
    await expect(
      db.transaction(async (tx) => {
        await tx.query('INSERT INTO item (name) VALUES ($1)', ['rolled-back']);
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect((await db.query('SELECT 1 FROM item WHERE name = $1', ['rolled-back'])).rowCount).toBe(0);
  });

  it('rolls back when a statement fails, and stays usable', async () => {
    await expect(
      db.transaction(async (tx) => {
        await tx.query('INSERT INTO item (name) VALUES ($1)', ['dup-ok']);
        await tx.query('INSERT INTO item (name) VALUES ($1)', ['dup-ok']);
      }),
    ).rejects.toMatchObject({ code: '23505' });
    expect((await db.query('SELECT 1 FROM item WHERE name = $1', ['dup-ok'])).rowCount).toBe(0);
    expect((await db.query<{ one: number }>('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
  });

  it('keeps concurrent transactions isolated and complete', async () => {
    const runs = 20;
    await Promise.all(
      Array.from({ length: runs }, (_, i) =>
        db
          .transaction(async (tx) => {
            const { rows } = await tx.query<{ n: number }>('SELECT n FROM counter WHERE id = 1 FOR UPDATE');
            await tx.query('UPDATE counter SET n = $1 WHERE id = 1', [rows[0]!.n + 1]);
            if (i % 4 === 0) throw new Error('abandon');
          })
          .catch((e: Error) => expect(e.message).toBe('abandon')),
      ),
    );
    const { rows } = await db.query<{ n: number }>('SELECT n FROM counter WHERE id = 1');
    expect(rows[0]!.n).toBe(runs - runs / 4);
  });

  it('reports SQL errors with the PostgreSQL code', async () => {
    await expect(db.query('SELECT * FROM no_such_table')).rejects.toMatchObject({ code: '42P01' });
    await expect(db.query('SELECT $1::int', ['x'])).rejects.toMatchObject({ code: '22P02' });
  });
});

describe('openDatabase', () => {
  it('rejects schema names that are not plain identifiers', async () => {
    await expect(openDatabase({ schema: 'x; DROP TABLE y' })).rejects.toThrow('invalid schema name');
  });

  it.each([undefined, 'node_a'])('fails at open with a clear error when the server is unreachable (schema %s)', async (schema) => {
    const err = await openDatabase({ url: 'postgres://starling:hunter2@127.0.0.1:1/db', schema }).catch((e: Error) => e);
    expect((err as Error).message).toMatch(/^cannot connect to PostgreSQL at 127\.0\.0\.1:1\/db: .*ECONNREFUSED/);
    expect((err as Error).message).not.toContain('hunter2');
  });

  it('keeps PGlite data in dataDir across restarts', async () => {
    const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'starling-pglite-'));
    try {
      const first = await openDatabase({ dataDir });
      await first.exec("CREATE TABLE kept (x text); INSERT INTO kept VALUES ('still here')");
      await first.close();
      const second = await openDatabase({ dataDir });
      expect((await second.query('SELECT x FROM kept')).rows).toEqual([{ x: 'still here' }]);
      await second.close();
    } finally {
      await fs.rm(dataDir, { recursive: true, force: true });
    }
  });

  it('keeps a memory:// PGlite database in memory, writing no folder', async () => {
    const db = await openDatabase({ dataDir: 'memory://' });
    await db.exec('CREATE TABLE t (x int)');
    await db.close();
    await expect(fs.stat('memory:')).rejects.toThrow('ENOENT');
  });

  it('keeps PGlite tables in the given schema', async () => {
    const db = await openDatabase({ schema: 'node_a' });
    try {
      await db.exec('CREATE TABLE t (x int)');
      const { rows } = await db.query<{ s: string }>("SELECT table_schema AS s FROM information_schema.tables WHERE table_name = 't'");
      expect(rows).toEqual([{ s: 'node_a' }]);
    } finally {
      await db.close();
    }
  });
});

// Only with a server: sharing one database between nodes is what schemas are for.
const url = process.env.DATABASE_URL;
if (url) describe('pg schemas (DATABASE_URL)', () => {
  it('lets two nodes share one database in separate schemas', async () => {
    const suffix = `${process.pid}_${Date.now()}`;
    const a = await openDatabase({ url, schema: `share_a_${suffix}` });
    const b = await openDatabase({ url, schema: `share_b_${suffix}` });
    try {
      await a.exec('CREATE TABLE node (name text)');
      await b.exec('CREATE TABLE node (name text)');
      await a.query("INSERT INTO node VALUES ('a')");
      await b.query("INSERT INTO node VALUES ('b')");
      expect((await a.query('SELECT name FROM node')).rows).toEqual([{ name: 'a' }]);
      expect((await b.query('SELECT name FROM node')).rows).toEqual([{ name: 'b' }]);
    } finally {
      await a.query(`DROP SCHEMA share_a_${suffix} CASCADE`);
      await b.query(`DROP SCHEMA share_b_${suffix} CASCADE`);
      await Promise.all([a.close(), b.close()]);
    }
  });
});

// How long statements wait for a connection (db_pool_wait_seconds): one connection on both
// engines (PGlite has only one; a pg pool of 1), so a statement issued during a transaction
// must wait for it, and is told only once it got the connection.
const waitEngines = [{ name: 'pglite', options: {} }, ...(url ? [{ name: 'pg', options: { url, schema: `wait_${process.pid}_${Date.now()}`, poolSize: 1 } }] : [])];
describe.each(waitEngines)('connection wait on $name', ({ options }) => {
  it('tells the wait of every statement and transaction, once it has its connection', async () => {
    const waits: number[] = [];
    const db = await openDatabase({ ...options, observeWait: (seconds) => waits.push(seconds) });
    try {
      waits.length = 0; // opening a pg pool checks the server with one statement
      let queued!: Promise<number>;
      let answered = false;
      const inside = await db.transaction(async (tx) => {
        queued = db.query<{ n: number }>('SELECT 2 AS n').then((r) => ((answered = true), r.rows[0]!.n));
        // Round trips in the transaction while the other statement waits for the connection.
        const n = (await tx.query<{ n: number }>('SELECT 1 AS n')).rows[0]!.n;
        await tx.query('SELECT 1');
        return { n, waits: waits.length, answered };
      });
      expect(inside).toEqual({ n: 1, waits: 1, answered: false });
      expect(await queued).toBe(2);
      expect(answered).toBe(true);
      expect(waits).toHaveLength(2);
      expect(waits.every((s) => s >= 0 && s < 60)).toBe(true);
      await db.exec('SELECT 3');
      expect(waits).toHaveLength(3);
    } finally {
      if (options.schema) await db.query(`DROP SCHEMA IF EXISTS ${options.schema} CASCADE`);
      await db.close();
    }
  });
});
