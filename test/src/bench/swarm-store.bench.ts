// Benchmark (not part of the test run): one storage node on real PostgreSQL.
//   1. namespace-0 stores of 1 KiB through the node's gRPC StorageRpc, many in flight, versus
//      raw single-row INSERTs of the same rows through a pg pool of the same size, same run;
//   2. retrieve of 100 messages (p50, p99) through gRPC.
// Prints ratios. Needs DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test) and the
// built node: npx tsc -b services/swarm-store/tsconfig.build.json test/tsconfig.build.json
// Run: node test/dist/bench/swarm-store.bench.js [stores=12000] [inFlight=64] [grpcClients=4]
//   (BENCH_ROUNDS=6: raw and node runs alternate in that many rounds)
import { spawn, type ChildProcess } from 'child_process';
import { randomBytes } from 'crypto';
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { ed25519KeyPairFromSeed, ed25519PublicKeyToX25519, messageHash, ready, signEd25519, toHex } from '@starling/crypto';
import { migrate, openDatabase, type Database } from '@starling/platform';
import { createGrpcClient, swarmstore, type PromiseClient } from '@starling/proto';
import { intEnv } from './bench-env';
import { CpuWindow, loadAverage } from './proc-cpu';

const DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const POOL_SIZE = 10;
const STORES = Number(process.argv[2] ?? 12000);
const IN_FLIGHT = Number(process.argv[3] ?? 64);
const CHANNELS = Number(process.argv[4] ?? 4);
/** Retrieves that warm the path up (until the JIT has optimised it, as on a node serving all day), then those measured. */
const RETRIEVE_WARMUP = 200;
const RETRIEVE_SAMPLES = 1000;
/** Alternating raw/node rounds the stores are split into. */
const ROUNDS = intEnv('BENCH_ROUNDS', 6);
const ROOT = path.resolve(__dirname, '..', '..', '..');
const NODE_MAIN = path.join(ROOT, 'services/swarm-store/dist/main.js');
const MIGRATIONS = path.join(ROOT, 'services/swarm-store/migrations');

type StorageRpcClient = PromiseClient<typeof swarmstore.SwarmStoreServiceService>;

interface Row {
  pubkey: string;
  owner: Buffer;
  data: Buffer;
  timestamp: number;
}

function makeRows(n: number): Row[] {
  return Array.from({ length: n }, () => {
    const key = randomBytes(32);
    const owner = Buffer.concat([Buffer.from([0x05]), key]);
    return { pubkey: owner.toString('hex'), owner, data: randomBytes(1024), timestamp: Date.now() };
  });
}

async function inParallel<T>(items: readonly T[], width: number, fn: (item: T) => Promise<void>): Promise<number> {
  let next = 0;
  const started = process.hrtime.bigint();
  await Promise.all(Array.from({ length: width }, async () => {
    while (next < items.length) await fn(items[next++]!);
  }));
  return Number(process.hrtime.bigint() - started) / 1e9;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function startNode(schema: string, dataDir: string): Promise<{ child: ChildProcess; grpcAddress: string }> {
  const child = spawn(process.execPath, [...(process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean), NODE_MAIN], {
    env: {
      ...process.env,
      DATABASE_URL,
      SWARM_STORE_DB_SCHEMA: schema,
      SWARM_STORE_DB_POOL_SIZE: String(POOL_SIZE),
      SWARM_STORE_HTTP_PORT: '0',
      SWARM_STORE_GRPC_PORT: '0',
      SWARM_STORE_DATA_DIR: dataDir,
      REGISTRY_GRPC_ADDRESS: '',
      LOG_LEVEL: 'info',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const grpcPort = await new Promise<number>((resolve, reject) => {
    let buffered = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const m = /"grpcPort":(\d+)/.exec(buffered);
      if (m) resolve(Number(m[1]));
    });
    child.on('exit', (code, signal) => reject(new Error(`node exited with ${code ?? signal}`)));
  });
  child.on('exit', (code, signal) => {
    if (code !== 0 && signal !== 'SIGTERM') console.error(`storage node exited unexpectedly: ${code ?? signal}`);
  });
  return { child, grpcAddress: `127.0.0.1:${grpcPort}` };
}

async function main(): Promise<void> {
  await ready();
  const tag = randomBytes(3).toString('hex');
  const nodeSchema = `bench_node_${tag}`;
  const rawSchema = `bench_raw_${tag}`;
  const dataDir = mkdtempSync(path.join(tmpdir(), 'swarm-store-bench-'));
  const { child, grpcAddress } = await startNode(nodeSchema, dataDir);
  // The client relays use (unary calls multiplexed on one stream per client); several of them,
  // as several relays call one node.
  const clients = Array.from({ length: CHANNELS }, () => createGrpcClient(swarmstore.SwarmStoreServiceService, grpcAddress));
  let turn = 0;
  const client = { storageRpc: (req: swarmstore.StorageRpcRequest) => clients[turn++ % CHANNELS]!.storageRpc(req), close: () => clients.forEach((c) => c.close()) };
  const raw: Database = await openDatabase({ url: DATABASE_URL, schema: rawSchema, poolSize: POOL_SIZE });
  await migrate(raw, MIGRATIONS);
  try {
    console.log(`swarm-store bench: ${STORES} stores of 1 KiB, ${IN_FLIGHT} in flight, pg pool ${POOL_SIZE} (node and baseline), ${CHANNELS} gRPC clients`);
    // Warm-up: connections, JIT.
    await inParallel(makeRows(200), IN_FLIGHT, (r) => storeThroughNode(client, r));
    await inParallel(makeRows(200), IN_FLIGHT, (r) => insertRaw(raw, r));

    // Retrieve of 100 messages: one account holding 100, read from the start each time. Measured
    // first, on a node that is not also digesting the write phases below (WAL, checkpoints).
    const seed = randomBytes(32);
    const pair = ed25519KeyPairFromSeed(seed);
    const sessionId = '05' + toHex(ed25519PublicKeyToX25519(pair.publicKey));
    const owner = Buffer.from(sessionId, 'hex');
    await inParallel(Array.from({ length: 100 }, () => ({ pubkey: sessionId, owner, data: randomBytes(1024), timestamp: Date.now() })), 16, (r) => storeThroughNode(client, r));
    const latencies: number[] = [];
    for (let i = 0; i < RETRIEVE_WARMUP + RETRIEVE_SAMPLES; i++) {
      const ts = Date.now();
      const signature = Buffer.from(signEd25519(pair.secretKey, Buffer.from(`retrieve${ts}`))).toString('base64');
      const params = { pubkey: sessionId, timestamp: ts, signature, pubkey_ed25519: toHex(pair.publicKey), max_count: 100, max_size: -1 };
      const started = process.hrtime.bigint();
      const res = await client.storageRpc({ method: 'retrieve', paramsJson: JSON.stringify(params) });
      const text = Buffer.from(res.body).toString('utf8'); // counted: a caller needs the text
      latencies.push(Number(process.hrtime.bigint() - started) / 1e6);
      if (res.status !== 200 || JSON.parse(text).messages.length !== 100) throw new Error(`retrieve failed: ${res.status} ${text.slice(0, 200)}`);
    }
    const measured = latencies.slice(RETRIEVE_WARMUP).sort((a, b) => a - b);
    // The same path with a method that reads nothing: what the transport alone costs.
    const infoLatencies: number[] = [];
    for (let i = 0; i < 300; i++) {
      const started = process.hrtime.bigint();
      await client.storageRpc({ method: 'info', paramsJson: '{}' });
      infoLatencies.push(Number(process.hrtime.bigint() - started) / 1e6);
    }
    const infoMeasured = infoLatencies.slice(50).sort((a, b) => a - b);
    console.log(`info via gRPC (transport alone): p50 ${percentile(infoMeasured, 50).toFixed(2)} ms`);
    console.log(`retrieve 100 x 1 KiB via gRPC: p50 ${percentile(measured, 50).toFixed(2)} ms, p99 ${percentile(measured, 99).toFixed(2)} ms (target p50 < 5 ms)`);

    // Raw and node runs alternate in rounds (ABBA...), so that load from elsewhere on a shared
    // machine falls on both sides alike instead of on whichever ran second.
    let rawSeconds = 0;
    let nodeSeconds = 0;
    const rawCpu = { self: 0, machine: 0 };
    const nodeCpu = { node: 0, self: 0, machine: 0 };
    const perRound = Math.ceil(STORES / ROUNDS);
    const runRaw = async () => {
      const window = new CpuWindow([]);
      window.start();
      rawSeconds += await inParallel(makeRows(perRound), IN_FLIGHT, (r) => insertRaw(raw, r));
      window.stop();
      rawCpu.self += window.selfSeconds;
      rawCpu.machine += window.machineSeconds;
    };
    const runNode = async () => {
      const window = new CpuWindow([child.pid!]);
      window.start();
      nodeSeconds += await inParallel(makeRows(perRound), IN_FLIGHT, (r) => storeThroughNode(client, r));
      window.stop();
      nodeCpu.node += window.seconds[0]!;
      nodeCpu.self += window.selfSeconds;
      nodeCpu.machine += window.machineSeconds;
    };
    for (let round = 0; round < ROUNDS; round++) {
      if (round % 2 === 0) {
        await runRaw();
        await runNode();
      } else {
        await runNode();
        await runRaw();
      }
    }
    const rawRate = (perRound * ROUNDS) / rawSeconds;
    const nodeRate = (perRound * ROUNDS) / nodeSeconds;
    const perStore = (seconds: number) => `${((seconds / (perRound * ROUNDS)) * 1e6).toFixed(0)} µs`;
    console.log(`raw single-row INSERT (pg pool ${POOL_SIZE}): ${rawRate.toFixed(0)} rows/s  (CPU per row: client ${perStore(rawCpu.self)}, machine ${perStore(rawCpu.machine)})`);
    console.log(`node gRPC store (group commit):        ${nodeRate.toFixed(0)} stores/s  (CPU per store: node ${perStore(nodeCpu.node)}, client ${perStore(nodeCpu.self)}, machine ${perStore(nodeCpu.machine)})`);
    console.log(`load average ${loadAverage()}`);
    console.log(`ratio node/raw: ${(nodeRate / rawRate).toFixed(2)}x (target >= 1.0x)`);
    // The same stores sent as the protocol's batch method (20 per gRPC call, 8 calls in flight):
    // the gRPC call, not the database, is the per-store cost above.
    const rowsC = makeRows(STORES);
    const batches = Array.from({ length: Math.ceil(STORES / 20) }, (_, i) => rowsC.slice(i * 20, i * 20 + 20));
    const batchSeconds = await inParallel(batches, 8, (b) => storeBatchThroughNode(client, b));
    const batchRate = STORES / batchSeconds;
    console.log(`node gRPC batch of 20 stores:         ${batchRate.toFixed(0)} stores/s`);
    console.log(`ratio node(batch)/raw: ${(batchRate / rawRate).toFixed(2)}x`);

  } finally {
    client.close();
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    await raw.query(`DROP SCHEMA IF EXISTS ${rawSchema} CASCADE`);
    await raw.query(`DROP SCHEMA IF EXISTS ${nodeSchema} CASCADE`);
    await raw.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function storeThroughNode(client: Pick<StorageRpcClient, 'storageRpc'>, r: Row): Promise<void> {
  const params = { pubkey: r.pubkey, timestamp: r.timestamp, ttl: 3_600_000, data: r.data.toString('base64') };
  const res = await client.storageRpc({ method: 'store', paramsJson: JSON.stringify(params) });
  if (res.status !== 200) throw new Error(`store failed: ${res.status} ${Buffer.from(res.body).toString().slice(0, 200)}`);
}

async function storeBatchThroughNode(client: Pick<StorageRpcClient, 'storageRpc'>, rows: Row[]): Promise<void> {
  const requests = rows.map((r) => ({ method: 'store', params: { pubkey: r.pubkey, timestamp: r.timestamp, ttl: 3_600_000, data: r.data.toString('base64') } }));
  const res = await client.storageRpc({ method: 'batch', paramsJson: JSON.stringify({ requests }) });
  const results = res.status === 200 ? (JSON.parse(Buffer.from(res.body).toString()).results as { code: number }[]) : [];
  if (results.length !== rows.length || results.some((r) => r.code !== 200)) throw new Error(`batch store failed: ${res.status} ${Buffer.from(res.body).toString().slice(0, 200)}`);
}

/** The same row the node would write, one INSERT per row (hash computed as the node does). */
async function insertRaw(db: Database, r: Row): Promise<void> {
  await db.query(
    `INSERT INTO messages (hash, owner, namespace, timestamp_ms, expiry_ms, size, data_base64) VALUES ($1, $2, 0, $3, $4, $5, $6)
     ON CONFLICT (hash) DO UPDATE SET expiry_ms = GREATEST(messages.expiry_ms, EXCLUDED.expiry_ms)`,
    [messageHash(r.owner, 0, r.data), r.owner, String(r.timestamp), String(r.timestamp + 3_600_000), r.data.length, r.data.toString('base64')],
  );
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
