import { promises as fs } from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { Database } from './database';
import { migrate, MigrationError, pendingMigrations } from './migrate';
import { testDatabases } from './testing';

jest.setTimeout(60_000);

async function migrationsDir(files: Record<string, string>): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'starling-migrations-'));
  await Promise.all(Object.entries(files).map(([name, sql]) => fs.writeFile(path.join(dir, name), sql)));
  return dir;
}

const ROOMS = {
  '0001_rooms.sql': 'CREATE TABLE room (id serial PRIMARY KEY, token text NOT NULL UNIQUE);',
  '0002_messages.sql': `
    CREATE TABLE message (id bigserial PRIMARY KEY, room integer NOT NULL REFERENCES room(id), seqno bigint NOT NULL);
    CREATE INDEX message_room_seqno ON message (room, seqno);`,
  // Depends on 0002, so it only works when applied after it (file order is not creation order).
  '0010_pinned.sql': 'ALTER TABLE message ADD COLUMN pinned boolean NOT NULL DEFAULT false;',
  'README.md': 'not a migration',
};

describe.each(testDatabases())('migrate on $name', (backend) => {
  let db: Database;
  const dirs: string[] = [];
  const dir = async (files: Record<string, string>) => {
    const d = await migrationsDir(files);
    dirs.push(d);
    return d;
  };
  beforeEach(async () => {
    db = await backend.open();
  });
  afterEach(async () => {
    await db.close();
  });
  afterAll(() => Promise.all(dirs.map((d) => fs.rm(d, { recursive: true, force: true }))));

  it('applies files in version order and records them', async () => {
    const applied = await migrate(db, await dir(ROOMS));
    expect(applied).toEqual([
      { version: 1, name: 'rooms' },
      { version: 2, name: 'messages' },
      { version: 10, name: 'pinned' },
    ]);
    const { rows } = await db.query<{ version: number; name: string }>('SELECT version, name FROM schema_migrations ORDER BY version');
    expect(rows).toEqual([{ version: 1, name: 'rooms' }, { version: 2, name: 'messages' }, { version: 10, name: 'pinned' }]);
    await db.query("INSERT INTO room (token) VALUES ('lobby')");
    await db.query('INSERT INTO message (room, seqno) VALUES (1, 1)');
    expect((await db.query('SELECT pinned FROM message')).rows).toEqual([{ pinned: false }]);
  });

  it('is a no-op when run again, and applies only new files later', async () => {
    const d = await dir(ROOMS);
    await migrate(db, d);
    expect(await migrate(db, d)).toEqual([]);
    await fs.writeFile(path.join(d, '0011_reactions.sql'), 'CREATE TABLE reaction (message bigint, emoji text);');
    expect(await migrate(db, d)).toEqual([{ version: 11, name: 'reactions' }]);
    expect((await db.query('SELECT count(*)::int AS n FROM schema_migrations')).rows).toEqual([{ n: 4 }]);
  });

  it('uses the given table name', async () => {
    await migrate(db, await dir({ '0001_a.sql': 'CREATE TABLE a (x int);' }), { table: 'relay_migrations' });
    expect((await db.query('SELECT version FROM relay_migrations')).rows).toEqual([{ version: 1 }]);
    await expect(migrate(db, await dir({}), { table: 'bad name' })).rejects.toThrow('invalid migrations table name');
  });

  it('rolls back a failing file completely and names it', async () => {
    const d = await dir({
      '0001_ok.sql': 'CREATE TABLE ok (x int);',
      '0002_broken.sql': 'CREATE TABLE half (x int);\nINSERT INTO half VALUES (1);\nSELECT * FROM missing_table;',
      '0003_never.sql': 'CREATE TABLE never (x int);',
    });
    const err = await migrate(db, d).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MigrationError);
    expect((err as MigrationError).file).toBe('0002_broken.sql');
    expect((err as Error).message).toMatch(/^migration 0002_broken\.sql: .*missing_table/);
    // 0001 stays applied; nothing of 0002 is left; 0003 was not attempted.
    expect((await db.query('SELECT version FROM schema_migrations')).rows).toEqual([{ version: 1 }]);
    const tables = await db.query<{ t: string }>(
      "SELECT table_name AS t FROM information_schema.tables WHERE table_schema = current_schema() AND table_name IN ('ok', 'half', 'never')",
    );
    expect(tables.rows).toEqual([{ t: 'ok' }]);
    // Fixing the file lets the next start continue.
    await fs.writeFile(path.join(d, '0002_broken.sql'), 'CREATE TABLE half (x int);');
    expect(await migrate(db, d)).toEqual([{ version: 2, name: 'broken' }, { version: 3, name: 'never' }]);
  });

  it('refuses a changed migration that was already applied', async () => {
    const d = await dir({ '0001_a.sql': 'CREATE TABLE a (x int);' });
    await migrate(db, d);
    await fs.writeFile(path.join(d, '0001_a.sql'), 'CREATE TABLE a (x int, y int);');
    await expect(migrate(db, d)).rejects.toThrow('migration 0001_a.sql: was changed after it had been applied');
  });

  it.each([
    [{ '001_short.sql': 'SELECT 1;' }, '001_short.sql: file name must look like 0001_create_rooms.sql'],
    [{ '0001_a b.sql': 'SELECT 1;' }, 'file name must look like'],
    [{ '0001_a.sql': 'SELECT 1;', '0001_b.sql': 'SELECT 1;' }, 'migration 0001_b.sql: version 0001 is also used by 0001_a.sql'],
  ])('rejects a badly named set of files %#', async (files, message) => {
    await expect(migrate(db, await dir(files))).rejects.toThrow(message);
    expect((await db.query("SELECT 1 FROM information_schema.tables WHERE table_name = 'schema_migrations' AND table_schema = current_schema()")).rowCount).toBe(0);
  });

  it('tells which migrations are pending without applying any', async () => {
    const d = await dir(ROOMS);
    const all = [
      { version: 1, name: 'rooms' },
      { version: 2, name: 'messages' },
      { version: 10, name: 'pinned' },
    ];
    // A database that never saw a migration: everything is pending, and nothing gets created.
    expect(await pendingMigrations(db, d)).toEqual(all);
    expect((await db.query("SELECT 1 FROM information_schema.tables WHERE table_name = 'schema_migrations' AND table_schema = current_schema()")).rowCount).toBe(0);
    await migrate(db, await dir({ '0001_rooms.sql': ROOMS['0001_rooms.sql'] }));
    expect(await pendingMigrations(db, d)).toEqual(all.slice(1));
    await migrate(db, d);
    expect(await pendingMigrations(db, d)).toEqual([]);
    await fs.writeFile(path.join(d, '0011_reactions.sql'), 'CREATE TABLE reaction (message bigint);');
    expect(await pendingMigrations(db, d)).toEqual([{ version: 11, name: 'reactions' }]);
    expect(await pendingMigrations(db, d, { table: 'other_migrations' })).toHaveLength(4);
  });

  it('reports an applied migration changed since, as migrate does', async () => {
    const d = await dir({ '0001_a.sql': 'CREATE TABLE a (x int);' });
    await migrate(db, d);
    await fs.writeFile(path.join(d, '0001_a.sql'), 'CREATE TABLE a (x int, y int);');
    await expect(pendingMigrations(db, d)).rejects.toThrow('migration 0001_a.sql: was changed after it had been applied');
  });

  it('lets two concurrent migrate calls apply each file exactly once', async () => {
    const d = await dir(ROOMS);
    const [a, b] = await Promise.all([migrate(db, d), migrate(db, d)]);
    expect([...a, ...b].map((m) => m.version).sort((x, y) => x - y)).toEqual([1, 2, 10]);
    expect((await db.query('SELECT count(*)::int AS n FROM schema_migrations')).rows).toEqual([{ n: 3 }]);
  });
});

// Two replicas starting at once: separate pools (separate connections), same schema.
const url = process.env.DATABASE_URL;
if (url) describe('migrate from two replicas (DATABASE_URL)', () => {
  it('applies each file once while both start together', async () => {
    const { openDatabase } = await import('./database');
    const { uniqueName } = await import('./testing');
    const schema = uniqueName('migr');
    const d = await migrationsDir({
      ...ROOMS,
      // A slow migration widens the window in which the replicas race.
      '0003_slow.sql': 'SELECT pg_sleep(0.2); CREATE TABLE slow (x int);',
    });
    const replicas = await Promise.all([openDatabase({ url, schema }), openDatabase({ url, schema })]);
    try {
      const results = await Promise.all(replicas.map((r) => migrate(r, d)));
      expect(results.flat().map((m) => m.version).sort((x, y) => x - y)).toEqual([1, 2, 3, 10]);
      expect((await replicas[0]!.query('SELECT count(*)::int AS n FROM schema_migrations')).rows).toEqual([{ n: 4 }]);
    } finally {
      await replicas[0]!.query(`DROP SCHEMA ${schema} CASCADE`);
      await Promise.all(replicas.map((r) => r.close()));
      await fs.rm(d, { recursive: true, force: true });
    }
  });
});
