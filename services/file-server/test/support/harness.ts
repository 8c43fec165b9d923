// Starts real file servers for the specs: a listening socket on port 0 (and an ops port), a
// temporary data folder, and a fresh database per server (PGlite in the data folder, as `npm start`
// runs it; PostgreSQL in a throw-away schema when DATABASE_URL is set). Every combination of
// database and blob store is a test backend.
import { mkdtempSync, promises as fs } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { Writable } from 'stream';
import { createLogger, openDatabase, testDatabases, uniqueName, type Database } from '@starling/platform';
import type { BlobStoreMode, FileServerConfig } from '../../src/config';
import { createFileServer, type FileServer } from '../../src/file-server';

export interface ServerBackend {
  name: string;
  database: string;
  blobStore: BlobStoreMode;
}

/** Every database backend crossed with both blob stores, named like "pglite/folder". */
export function serverBackends(): ServerBackend[] {
  return testDatabases().flatMap((db) =>
    (['db', 'folder'] as const).map((blobStore) => ({ name: `${db.name}/${blobStore}`, database: db.name, blobStore })),
  );
}

export interface Harness {
  server: FileServer;
  /** The server's own database (closed with the server). */
  db: Database;
  dataDir: string;
  /** Where /healthz, /readyz and /metrics answer. */
  opsUrl: string;
  /** Every log line the server wrote, as text. */
  logs: string[];
  /** The server's database opened again, after the server has closed it. */
  reopenDatabase(): Promise<Database>;
  stop(): Promise<void>;
}

export async function startServer(backend: ServerBackend, overrides: Partial<FileServerConfig> = {}): Promise<Harness> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'starling-fs-'));
  const databaseUrl = backend.database === 'pg' ? process.env.DATABASE_URL : undefined;
  const databaseSchema = databaseUrl ? uniqueName('fs') : undefined;
  const logs: string[] = [];
  const destination = new Writable({
    write(chunk, _enc, done) {
      logs.push(String(chunk));
      done();
    },
  });
  const config: FileServerConfig = {
    host: '127.0.0.1',
    port: 0,
    opsPort: 0,
    drainDelay: 0,
    shutdownGrace: 5_000,
    dataDir,
    databaseUrl,
    databaseSchema,
    blobStore: backend.blobStore,
    maxBytes: 10_000_000,
    defaultTtlSeconds: 3600,
    minTtlSeconds: 1,
    maxTtlSeconds: 14 * 86_400,
    cleanupIntervalMs: 60_000,
    ...overrides,
  };
  const reopenDatabase = () =>
    openDatabase(databaseUrl ? { url: databaseUrl, schema: databaseSchema } : { dataDir: path.join(dataDir, 'pglite') });
  const server = await createFileServer(config, { logger: createLogger('file-server', { destination, level: 'debug' }) });
  return {
    server,
    db: server.database,
    dataDir,
    opsUrl: `http://127.0.0.1:${server.opsPort}`,
    logs,
    reopenDatabase,
    async stop() {
      await server.close();
      if (databaseSchema) {
        const db = await reopenDatabase();
        await db.query(`DROP SCHEMA IF EXISTS ${databaseSchema} CASCADE`);
        await db.close();
      }
      await fs.rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** Files under the blob folder, staging area included (names relative to it). */
export async function blobFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (sub: string) => {
    for (const entry of await fs.readdir(path.join(dir, sub), { withFileTypes: true })) {
      const rel = path.join(sub, entry.name);
      if (entry.isDirectory()) await walk(rel);
      else out.push(rel);
    }
  };
  await walk('');
  return out.sort();
}

export async function fileRows(db: Database): Promise<{ id: string }[]> {
  return (await db.query<{ id: string }>('SELECT id FROM files ORDER BY id')).rows;
}

export async function blobRows(db: Database): Promise<{ id: string }[]> {
  return (await db.query<{ id: string }>('SELECT id FROM file_blobs ORDER BY id')).rows;
}

/** Deterministic bytes of any size, different for each seed. */
export function patternBytes(size: number, seed = 1): Buffer {
  const out = Buffer.alloc(size);
  let x = seed * 2654435761;
  for (let i = 0; i < size; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    out[i] = x >>> 24;
  }
  return out;
}

export interface UploadResult {
  status: number;
  contentType: string | null;
  json: Record<string, unknown>;
}

export async function upload(server: FileServer, body: Uint8Array, headers: Record<string, string> = {}): Promise<UploadResult> {
  const res = await fetch(`${server.url}/file`, {
    method: 'POST',
    headers: { 'content-type': 'application/octet-stream', ...headers },
    body,
  });
  return { status: res.status, contentType: res.headers.get('content-type'), json: (await res.json()) as Record<string, unknown> };
}
