// One SQL dialect on two engines: `pg` against a PostgreSQL server (production, several replicas)
// and PGlite (PostgreSQL compiled to WASM) embedded, so that a service starts with no server.
// Both return the same JavaScript values:
//   - int8/bigint and numeric columns come back as STRINGS (a JS number would silently lose
//     precision past 2^53); convert with BigInt(x) or Number(x) where the range is known.
//   - bytea comes back as a Buffer; pass Buffer or Uint8Array as a parameter.
//   - rowCount is always a number (rows returned by SELECT, rows affected by DML).
import { Pool, types as pgTypes, type PoolClient } from 'pg';

export interface QueryResult<R> {
  rows: R[];
  rowCount: number;
}

/** Anything that can run one parameterised statement ($1, $2, ...): the database or a transaction. */
export interface Queryable {
  query<R = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<QueryResult<R>>;
}

/** A transaction also runs scripts of several statements without parameters (migrations). */
export interface Transaction extends Queryable {
  exec(sql: string): Promise<void>;
}

export interface Database extends Transaction {
  readonly kind: 'pg' | 'pglite';
  /** The schema set as search_path, if one was given. */
  readonly schema: string | undefined;
  /**
   * Runs fn in BEGIN/COMMIT on one connection; ROLLBACK and rethrow when fn throws.
   * Use only `tx` inside fn: on PGlite (one connection) a call to the database itself from inside
   * waits for the transaction to end, i.e. forever.
   */
  transaction<T>(fn: (tx: Transaction) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export interface OpenDatabaseOptions {
  /** postgres:// URL; when absent, PGlite is used. */
  url?: string;
  /** PGlite data folder; in memory when absent. Ignored with `url`. */
  dataDir?: string;
  /** Use (and create if missing) this schema as search_path, so several nodes share one database. */
  schema?: string;
  /** pg pool size (default 10). */
  poolSize?: number;
}

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;
const INT8_OID = 20;
const NUMERIC_OID = 1700;
const BYTEA_OID = 17;

export async function openDatabase(options: OpenDatabaseOptions = {}): Promise<Database> {
  if (options.schema !== undefined && !SCHEMA_NAME.test(options.schema)) {
    throw new Error(`invalid schema name "${options.schema}": lower-case letters, digits and _ only`);
  }
  return options.url ? openPg(options.url, options) : openPglite(options);
}

function normalise<R>(rows: R[], rowCount: number | null | undefined): QueryResult<R> {
  return { rows, rowCount: rowCount ?? rows.length };
}

// ---------- pg ----------

// pg already returns int8 and numeric as strings and bytea as Buffer; pin that explicitly so that
// a global setTypeParser elsewhere in the process cannot make the two engines differ.
const pgTypeParsers = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === INT8_OID || oid === NUMERIC_OID) return (v: string) => v;
    return pgTypes.getTypeParser(oid, format as 'text');
  },
};

async function openPg(url: string, options: OpenDatabaseOptions): Promise<Database> {
  const schema = options.schema;
  if (schema) {
    // Create the schema on a throw-away connection before the pool sets it as search_path.
    const setup = new Pool({ connectionString: url, max: 1 });
    try {
      await setup.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    } catch (err) {
      // Two replicas creating the same schema at once: the loser sees a unique violation.
      if ((err as { code?: string }).code !== '23505' && (err as { code?: string }).code !== '42P06') throw err;
    } finally {
      await setup.end();
    }
  }
  const pool = new Pool({
    connectionString: url,
    max: options.poolSize ?? 10,
    types: pgTypeParsers,
    ...(schema ? { options: `-c search_path=${schema}` } : {}),
  });
  // An idle client losing its connection emits 'error' on the pool; without a listener that
  // would crash the process. The next query gets a fresh connection.
  pool.on('error', () => undefined);

  const query = async <R>(client: Pool | PoolClient, sql: string, params?: readonly unknown[]) => {
    const res = await client.query(sql, params as unknown[] | undefined);
    return normalise(res.rows as R[], res.rowCount);
  };
  const txOn = (client: PoolClient): Transaction => ({
    query: (sql, params) => query(client, sql, params),
    exec: async (sql) => void (await client.query(sql)),
  });

  return {
    kind: 'pg',
    schema,
    query: (sql, params) => query(pool, sql, params),
    exec: async (sql) => void (await pool.query(sql)),
    async transaction(fn) {
      const client = await pool.connect();
      let broken: Error | undefined;
      try {
        await client.query('BEGIN');
        const result = await fn(txOn(client));
        await client.query('COMMIT');
        return result;
      } catch (err) {
        try {
          await client.query('ROLLBACK');
        } catch (rollbackErr) {
          broken = rollbackErr as Error; // connection is unusable: discard it from the pool
        }
        throw err;
      } finally {
        client.release(broken);
      }
    },
    close: () => pool.end(),
  };
}

// ---------- PGlite ----------

async function openPglite(options: OpenDatabaseOptions): Promise<Database> {
  const { PGlite } = await import('@electric-sql/pglite');
  const db = new PGlite(options.dataDir, {
    parsers: {
      [INT8_OID]: (v: string) => v,
      [NUMERIC_OID]: (v: string) => v,
      [BYTEA_OID]: (v: string) => Buffer.from(v.slice(2), 'hex'), // text form is \x<hex>
    },
  });
  await db.waitReady;
  const schema = options.schema;
  if (schema) await db.exec(`CREATE SCHEMA IF NOT EXISTS ${schema}; SET search_path TO ${schema};`);

  type PgliteLike = { query: typeof db.query; exec: typeof db.exec };
  const txOn = (target: PgliteLike): Transaction => ({
    async query<R>(sql: string, params?: readonly unknown[]) {
      const res = await target.query<R>(sql, params as unknown[] | undefined);
      return normalise(res.rows, res.affectedRows || res.rows.length);
    },
    exec: async (sql) => void (await target.exec(sql)),
  });
  const direct = txOn(db);

  return {
    kind: 'pglite',
    schema,
    query: direct.query,
    exec: direct.exec,
    // PGlite has one connection and serialises transactions with other queries itself.
    transaction: (fn) => db.transaction((tx) => fn(txOn(tx))),
    close: () => db.close(),
  };
}
