// Schema migrations are SQL files `NNNN_name.sql`, applied in version order at start. Each file
// runs in its own transaction together with its row in the migrations table, so a file is either
// fully applied and recorded or not at all. Replicas starting together against one server take a
// transaction-scoped advisory lock per file, so exactly one applies it and the others skip it.
import { createHash } from 'crypto';
import { promises as fs } from 'fs';
import * as path from 'path';
import type { Database } from './database';

export interface MigrateOptions {
  /** Table recording applied versions (default `schema_migrations`), in the database's schema. */
  table?: string;
}

export interface AppliedMigration {
  version: number;
  name: string;
}

export class MigrationError extends Error {
  constructor(
    readonly file: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(`migration ${file}: ${message}`, options);
    this.name = 'MigrationError';
  }
}

const MIGRATION_FILE = /^(\d{4})_([A-Za-z0-9_-]+)\.sql$/;
const TABLE_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

interface MigrationFile {
  version: number;
  name: string;
  file: string;
  sql: string;
  checksum: string;
}

/** Applies the not yet applied migrations; returns the ones this call applied. */
export async function migrate(db: Database, migrationsDir: string, options: MigrateOptions = {}): Promise<AppliedMigration[]> {
  const table = migrationsTable(options);
  const files = await readMigrations(migrationsDir);
  const applied: AppliedMigration[] = [];
  for (const m of files) {
    const ran = await db.transaction(async (tx) => {
      // Serialises concurrent migrators on this table (schema-qualified, so nodes sharing one
      // database in different schemas do not wait for each other). Released at COMMIT/ROLLBACK.
      await tx.query(`SELECT pg_advisory_xact_lock(hashtext(current_schema() || '.' || $1))`, [table]);
      await tx.exec(
        `CREATE TABLE IF NOT EXISTS ${table} (
           version integer PRIMARY KEY,
           name text NOT NULL,
           checksum text NOT NULL,
           applied_at timestamptz NOT NULL DEFAULT now()
         )`,
      );
      const done = await tx.query<{ checksum: string }>(`SELECT checksum FROM ${table} WHERE version = $1`, [m.version]);
      if (done.rows[0]) {
        if (done.rows[0].checksum !== m.checksum) {
          throw new MigrationError(m.file, 'was changed after it had been applied; add a new migration instead');
        }
        return false;
      }
      try {
        await tx.exec(m.sql);
      } catch (err) {
        throw new MigrationError(m.file, (err as Error).message, { cause: err });
      }
      await tx.query(`INSERT INTO ${table} (version, name, checksum) VALUES ($1, $2, $3)`, [m.version, m.name, m.checksum]);
      return true;
    });
    if (ran) applied.push({ version: m.version, name: m.name });
  }
  return applied;
}

/**
 * The migrations that migrate() would apply, in version order, without changing anything (an
 * operator's tool checks this before it touches a database that a newer release must upgrade
 * first). A file changed after it was applied is a MigrationError, as migrate() finds it.
 */
export async function pendingMigrations(db: Database, migrationsDir: string, options: MigrateOptions = {}): Promise<AppliedMigration[]> {
  const table = migrationsTable(options);
  const files = await readMigrations(migrationsDir);
  const exists = await db.query<{ found: boolean }>(`SELECT to_regclass(quote_ident(current_schema()) || '.' || $1) IS NOT NULL AS found`, [table]);
  const applied = new Map<number, string>();
  if (exists.rows[0]?.found) {
    const rows = await db.query<{ version: number; checksum: string }>(`SELECT version, checksum FROM ${table}`);
    for (const row of rows.rows) applied.set(Number(row.version), row.checksum);
  }
  const pending: AppliedMigration[] = [];
  for (const m of files) {
    const checksum = applied.get(m.version);
    if (checksum === undefined) pending.push({ version: m.version, name: m.name });
    else if (checksum !== m.checksum) throw new MigrationError(m.file, 'was changed after it had been applied; add a new migration instead');
  }
  return pending;
}

function migrationsTable(options: MigrateOptions): string {
  const table = options.table ?? 'schema_migrations';
  if (!TABLE_NAME.test(table)) throw new Error(`invalid migrations table name "${table}"`);
  return table;
}

async function readMigrations(dir: string): Promise<MigrationFile[]> {
  const entries = (await fs.readdir(dir)).filter((f) => f.endsWith('.sql')).sort();
  const byVersion = new Map<number, string>();
  const out: MigrationFile[] = [];
  for (const file of entries) {
    const m = MIGRATION_FILE.exec(file);
    if (!m) throw new MigrationError(file, 'file name must look like 0001_create_rooms.sql');
    const version = Number(m[1]);
    const clash = byVersion.get(version);
    if (clash) throw new MigrationError(file, `version ${m[1]} is also used by ${clash}`);
    byVersion.set(version, file);
    const sql = await fs.readFile(path.join(dir, file), 'utf8');
    out.push({ version, name: m[2]!, file, sql, checksum: createHash('sha256').update(sql).digest('hex') });
  }
  return out.sort((a, b) => a.version - b.version);
}
