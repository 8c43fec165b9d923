// One SQL dialect on two engines: `pg` against a PostgreSQL server (production, several replicas)
// and PGlite (PostgreSQL compiled to WASM) embedded, so that a service starts with no server.
// Both return the same JavaScript values:
//   - int8/bigint and numeric columns come back as STRINGS (a JS number would silently lose
//     precision past 2^53); convert with BigInt(x) or Number(x) where the range is known.
//   - bytea comes back as a Buffer; pass Buffer or Uint8Array as a parameter.
//   - rowCount is always a number (rows returned by SELECT, rows affected by DML).
import * as pg from 'pg';
import { Pool, types as pgTypes, type PoolClient } from 'pg';
import { runInThisContext } from 'vm';
import { mkdirSync } from 'fs';
import { dirname } from 'path';
import { seedFromTemplate } from './pglite-template';

export interface QueryResult<R> {
  rows: R[];
  rowCount: number;
}

/**
 * A hot statement with a name: on PostgreSQL each connection parses and plans it once and then
 * only binds and runs it (planning a query like a retrieve costs as much as running it). Names
 * must be unique per distinct text; use it only for fixed texts, never for generated SQL.
 */
export interface NamedStatement {
  name: string;
  text: string;
}

/** Anything that can run one parameterised statement ($1, $2, ...): the database or a transaction. */
export interface Queryable {
  query<R = Record<string, unknown>>(sql: string | NamedStatement, params?: readonly unknown[]): Promise<QueryResult<R>>;
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
  /** PGlite data folder; in memory when absent or `memory://`. Ignored with `url`. */
  dataDir?: string;
  /** Use (and create if missing) this schema as search_path, so several nodes share one database. */
  schema?: string;
  /** pg pool size (default 10). */
  poolSize?: number;
  /**
   * Told how long each statement or transaction waited for its connection: a free one from the
   * pg pool, or PGlite's one connection (queries there run one at a time).
   */
  observeWait?: (seconds: number) => void;
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

/** host:port/database of a URL, without credentials, for error messages. */
function hostOf(url: string): string {
  try {
    const u = new URL(url);
    return `${u.host}${u.pathname}`;
  } catch {
    return '(unparseable URL)';
  }
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
    if (oid === BYTEA_OID && format !== 'binary') return (v: string) => Buffer.from(v.slice(2), 'hex'); // text form is \x<hex>
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
      const code = (err as { code?: string }).code ?? '';
      if (!/^[0-9A-Z]{5}$/.test(code)) throw new Error(`cannot connect to PostgreSQL at ${hostOf(url)}: ${(err as Error).message}`, { cause: err });
      if (code !== '23505' && code !== '42P06') throw err;
    } finally {
      await setup.end();
    }
  }
  const pool = new TimedPool(options.observeWait, {
    connectionString: url,
    max: options.poolSize ?? 10,
    types: pgTypeParsers,
    ...(schema ? { options: `-c search_path=${schema}` } : {}),
  });
  // An idle client losing its connection emits 'error' on the pool; without a listener that
  // would crash the process. The next query gets a fresh connection.
  pool.on('error', () => undefined);
  // Fail at start, with a message that names the server but not the password.
  try {
    await pool.query('SELECT 1');
  } catch (err) {
    await pool.end();
    throw new Error(`cannot connect to PostgreSQL at ${hostOf(url)}: ${(err as Error).message}`, { cause: err });
  }

  const query = async <R>(client: Pool | PoolClient, sql: string | NamedStatement, params?: readonly unknown[]) => {
    const res = typeof sql === 'string'
      ? await client.query(sql, params as unknown[] | undefined)
      : await client.query({ name: sql.name, text: sql.text, values: params as unknown[] | undefined });
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

/**
 * A pg Pool that times every checkout. pool.query() and transactions both get their connection
 * through connect(), so the wait of every statement is seen, and pg's own query path (error
 * handling, release) stays as it is.
 */
class TimedPool extends Pool {
  constructor(
    private readonly observeWait: ((seconds: number) => void) | undefined,
    config: pg.PoolConfig,
  ) {
    super(config);
  }

  override connect(): Promise<PoolClient>;
  override connect(callback: (err: Error | undefined, client: PoolClient | undefined, done: (release?: unknown) => void) => void): void;
  override connect(callback?: (err: Error | undefined, client: PoolClient | undefined, done: (release?: unknown) => void) => void): Promise<PoolClient> | void {
    const observe = this.observeWait;
    if (!observe) return callback ? super.connect(callback) : super.connect();
    const started = process.hrtime.bigint();
    const waited = () => observe(Number(process.hrtime.bigint() - started) / 1e9);
    if (!callback) return super.connect().then((client) => (waited(), client));
    super.connect((err, client, done) => {
      if (!err) waited();
      callback(err, client, done);
    });
  }
}

// ---------- PGlite ----------

type PgliteModule = typeof import('@electric-sql/pglite');

/**
 * Loads PGlite with Node's own module loader. Under jest every module runs inside a vm context in
 * which `import()` throws (Node 20 without --experimental-vm-modules), and PGlite's WASM loader
 * calls import('node:module') and import('fs/promises'). The real process object (reached from
 * the vm module, which lives outside jest's context) leads to the real loader; outside jest this
 * is the same loader as `require`.
 */
function loadPglite(): PgliteModule {
  const realProcess = runInThisContext('process') as NodeJS.Process;
  const NodeModule = realProcess.mainModule?.constructor as typeof import('module') | undefined;
  if (typeof NodeModule?.createRequire === 'function') return NodeModule.createRequire(__filename)('@electric-sql/pglite') as PgliteModule;
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded lazily: only an embedded database needs PGlite
  return require('@electric-sql/pglite') as PgliteModule;
}

// pg's own input conversion (Buffer/typed array, Date, array, object -> JSON, bigint -> text), so
// that parameters mean the same on both engines.
const prepareValue = (pg as unknown as { utils: { prepareValue(v: unknown): unknown } }).utils.prepareValue;

// pg's output parsers for every built-in type (with the int8/numeric/bytea rules above), so that
// results are the same values on both engines.
const pgliteParsers: Record<number, (v: string) => unknown> = Object.fromEntries(
  Object.values(pgTypes.builtins).map((oid) => [oid, pgTypeParsers.getTypeParser(oid, 'text') as (v: string) => unknown]),
);

// PGlite's own bytea parameter encoder builds one string per byte: 13 ms of CPU for a 76,800-byte
// message, most of a storage node's work on a batch of them. Node's hex encoder is native.
// A string is taken as PostgreSQL's text form of bytea, as pg does.
function byteaText(v: unknown): string {
  if (typeof v === 'string') return v;
  if (!(v instanceof Uint8Array)) throw new TypeError('a bytea parameter must be a Buffer, a Uint8Array or its text form');
  return `\\x${Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('hex')}`;
}
const pgliteSerializers: Record<number, (v: unknown) => string> = { [BYTEA_OID]: byteaText };

/** Rows and errors built by PGlite may come from another JS realm (see loadPglite): copy them. */
function ownRealmError(err: unknown): unknown {
  if (err instanceof Error || typeof err !== 'object' || err === null) return err;
  const source = err as { message?: string; name?: string };
  const copy = Object.assign(new Error(source.message ?? String(err)), err, { cause: err });
  if (source.name) copy.name = source.name;
  return copy;
}

// A fresh in-memory PGlite runs initdb (1.5 s and more); loading a copy of a pristine data
// folder takes a quarter of that. The copy is kept on the real global object so that every jest
// test file in the process reuses it.
const TEMPLATE = Symbol.for('@starling/platform:pglite-template');
type TemplateHolder = { [TEMPLATE]?: Promise<Blob> };

/**
 * PostgreSQL settings for the embedded engine. Its WASM heap never shrinks, so whatever
 * PostgreSQL once touched stays resident: the defaults (shared_buffers 128MB, sized for a server
 * of its own) grew the heap past its 128 MiB start and kept ~130 MiB more per process
 * (test/src/bench/memory.bench.ts). A small cache is enough here: the folder's files sit in the
 * kernel's page cache anyway, and production runs on PostgreSQL.
 */
export const PGLITE_SETTINGS: readonly string[] = ['shared_buffers=16MB', 'maintenance_work_mem=16MB'];

function pgliteOptions(PGlite: PgliteModule['PGlite']) {
  const settings = PGLITE_SETTINGS.flatMap((setting) => ['-c', setting]);
  return {
    parsers: pgliteParsers,
    serializers: pgliteSerializers,
    startParams: [...PGlite.defaultStartParams, ...settings],
    // Written into postgresql.conf by PGlite's own initdb (when there is no template).
    initDbStartParams: settings,
  };
}

async function newPglite(options: OpenDatabaseOptions) {
  const { PGlite } = loadPglite();
  const engine = pgliteOptions(PGlite);
  // `memory://` is PGlite's name for a database in memory, not a folder to seed.
  if (options.dataDir && !options.dataDir.startsWith('memory://')) {
    // PGlite creates the last folder of the path only; a fresh deployment has none of them.
    mkdirSync(dirname(options.dataDir), { recursive: true });
    seedFromTemplate(options.dataDir);
    const db = new PGlite({ dataDir: options.dataDir, ...engine });
    await db.waitReady;
    return db;
  }
  const holder = runInThisContext('globalThis') as TemplateHolder;
  const template = holder[TEMPLATE];
  if (template) {
    const db = new PGlite({ loadDataDir: await template, ...engine });
    await db.waitReady;
    return db;
  }
  const db = new PGlite(engine);
  await db.waitReady;
  holder[TEMPLATE] = db.dumpDataDir('none').then((b) => b as Blob);
  holder[TEMPLATE].catch(() => delete holder[TEMPLATE]);
  await holder[TEMPLATE];
  return db;
}

async function openPglite(options: OpenDatabaseOptions): Promise<Database> {
  const db = await newPglite(options);
  const schema = options.schema;
  if (schema) await db.exec(`CREATE SCHEMA IF NOT EXISTS ${schema}; SET search_path TO ${schema};`);

  type PgliteLike = { query: typeof db.query; exec: typeof db.exec };
  const txOn = (target: PgliteLike): Transaction => ({
    async query<R>(statement: string | NamedStatement, params?: readonly unknown[]) {
      const sql = typeof statement === 'string' ? statement : statement.text;
      try {
        const res = await target.query<R>(sql, params?.map((p) => prepareValue(p)));
        return normalise(res.rows.map((row) => ({ ...row })), res.affectedRows || res.rows.length);
      } catch (err) {
        throw ownRealmError(err);
      }
    },
    async exec(sql) {
      try {
        await target.exec(sql);
      } catch (err) {
        throw ownRealmError(err);
      }
    },
  });
  const direct = txOn(db);
  // PGlite has one connection and runs statements and transactions one at a time; the same queue
  // in front of it tells how long each one waited for its turn.
  const turn = new TurnQueue(options.observeWait);

  return {
    kind: 'pglite',
    schema,
    query: (sql, params) => turn.run(() => direct.query(sql, params)),
    exec: (sql) => turn.run(() => direct.exec(sql)),
    transaction: (fn) => turn.run(() => db.transaction((tx) => fn(txOn(tx))).catch((err) => Promise.reject(ownRealmError(err)))),
    close: () => db.close(),
  };
}

/** Runs tasks one at a time in arrival order, telling how long each waited to start. */
class TurnQueue {
  private tail: Promise<unknown> = Promise.resolve();

  constructor(private readonly observeWait: ((seconds: number) => void) | undefined) {}

  run<T>(task: () => Promise<T>): Promise<T> {
    const started = process.hrtime.bigint();
    const result = this.tail.then(() => {
      this.observeWait?.(Number(process.hrtime.bigint() - started) / 1e9);
      return task();
    });
    this.tail = result.catch(() => undefined);
    return result;
  }
}
