// A storage node as a real process (node services/swarm-store/dist/main.js): PGlite in its own
// data folder, or PostgreSQL in its own schema when DATABASE_URL is set.
import { spawn, type ChildProcess } from 'child_process';
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { randomBytes } from 'crypto';
import { openDatabase, request } from '@starling/platform';

const MAIN = path.resolve(__dirname, '../../../services/swarm-store/dist/main.js');

export interface NodeProcess {
  ed25519: string;
  httpPort: number;
  grpcPort: number;
  child: ChildProcess;
  dataDir: string;
  schema: string;
  /** Everything the process printed (for diagnosing a failure). */
  output(): string;
  rpc(method: string, params: unknown): Promise<{ status: number; json: any; text: string }>;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

export async function startNodeProcess(registryAddress: string, opts: { dataDir?: string; schema?: string; env?: Record<string, string> } = {}): Promise<NodeProcess> {
  const dataDir = opts.dataDir ?? mkdtempSync(path.join(tmpdir(), 'swarm-e2e-'));
  const schema = opts.schema ?? `swarm_e2e_${randomBytes(4).toString('hex')}`;
  const child = spawn(process.execPath, [MAIN], {
    env: {
      PATH: process.env.PATH,
      SWARM_STORE_HTTP_PORT: '0',
      SWARM_STORE_GRPC_PORT: '0',
      SWARM_STORE_DATA_DIR: dataDir,
      REGISTRY_GRPC_ADDRESS: registryAddress,
      SWARM_STORE_OPS_PORT: '0',
      SWARM_STORE_RETRY_INTERVAL: '300ms',
      SWARM_STORE_EXPIRY_SWEEP_INTERVAL: '1s',
      ...(process.env.DATABASE_URL ? { DATABASE_URL: process.env.DATABASE_URL, SWARM_STORE_DB_SCHEMA: schema } : {}),
      ...opts.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  child.stderr!.on('data', (c: Buffer) => (log += c.toString()));
  const started = await new Promise<{ ed25519: string; httpPort: number; grpcPort: number }>((resolve, reject) => {
    child.stdout!.on('data', (c: Buffer) => {
      log += c.toString();
      const m = /"ed25519":"([0-9a-f]{64})","httpPort":(\d+),"grpcPort":(\d+)/.exec(log);
      if (m) resolve({ ed25519: m[1]!, httpPort: Number(m[2]), grpcPort: Number(m[3]) });
    });
    child.once('exit', (code) => reject(new Error(`swarm-store exited with ${code}: ${log.slice(-2000)}`)));
  });
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  return {
    ...started,
    child,
    dataDir,
    schema,
    output: () => log,
    async rpc(method, params) {
      const res = await request(`https://127.0.0.1:${started.httpPort}/storage_rpc/v1`, { method: 'POST', body: JSON.stringify({ method, params }) });
      const text = res.text;
      let json: any;
      try {
        json = JSON.parse(text);
      } catch {
        json = undefined;
      }
      return { status: res.status, json, text };
    },
    async kill(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
}

/** Removes what a stopped node kept: its folder and, on PostgreSQL, its schema. */
export async function removeNodeData(node: NodeProcess): Promise<void> {
  rmSync(node.dataDir, { recursive: true, force: true });
  if (!process.env.DATABASE_URL) return;
  const db = await openDatabase({ url: process.env.DATABASE_URL });
  try {
    await db.query(`DROP SCHEMA IF EXISTS ${node.schema} CASCADE`);
  } finally {
    await db.close();
  }
}
