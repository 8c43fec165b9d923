// Community server polling benchmark: 1,000 blinded clients poll `since/:seqno` of one room with
// signed requests against ONE open-groups server process on real PostgreSQL. Every request has a
// fresh nonce, so the server verifies an Ed25519 signature each time; its requests/s is compared
// with the raw Ed25519 verify rate of one core measured in this same run (target: >= 40%).
//
// Prints a table (requests/s, p50/p99 latency, server CPU, database work per request) and
// `ratio: X (target >= 0.40) MET|MISSED`, plus the same ratio per CPU-second, which stays steady
// when other processes load the machine. About 35-55 s.
//
// Run: `node test/dist/bench/run.js open-groups` after `npx nx run-many -t build`.
// Knobs (env): DATABASE_URL, BENCH_CLIENTS (1000), BENCH_CONNECTIONS (64), BENCH_WARMUP_S (3),
// BENCH_DURATION_S (15), BENCH_MAX_REQUESTS (150000), BENCH_SERVER_CPU_PROF (folder for a CPU
// profile of the server over the measured run). Exits 0 whether or not the target is met; a
// setup failure exits 1.
import {
  blind15KeyPair,
  concatBytes,
  generateIdentity,
  ready,
  signSogsRequest,
  sodium,
  sogsSignedMessage,
  toBase64,
  toHex,
  verifyBlindedSignature,
  verifyEd25519,
  type BlindedKeyPair,
} from '@starling/crypto';
import { eventually, openDatabase } from '@starling/platform';
import { randomBytes } from 'crypto';
import { mkdtempSync, rmSync } from 'fs';
import { availableParallelism, tmpdir } from 'os';
import { join } from 'path';
import { isMainThread, parentPort, Worker, workerData } from 'worker_threads';
import { quantile, runLoad, type LoadResult } from './http-load';
import { intEnv } from './bench-env';
import { startOpenGroups, type RunningOpenGroups } from './open-groups-process';
import { cpuProfileEnv, CpuWindow } from './proc-cpu';

const TARGET_RATIO = 0.4;
const ROOM = 'bench';
/** Starts and stops the server's CPU profile (BENCH_SERVER_CPU_PROF) around the measured run. */
const PROFILE_SIGNAL = 'SIGUSR2';
/** Warm-up requests signed per second of warm-up: more than a server on a small machine answers. */
const WARMUP_POOL_PER_SECOND = 8000;

const settings = {
  databaseUrl: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test',
  clients: intEnv('BENCH_CLIENTS', 1000),
  connections: intEnv('BENCH_CONNECTIONS', 64),
  warmupMs: intEnv('BENCH_WARMUP_S', 3) * 1000,
  durationMs: intEnv('BENCH_DURATION_S', 15) * 1000,
  maxRequests: intEnv('BENCH_MAX_REQUESTS', 150_000),
  messages: 20,
  serverCpuProfDir: process.env.BENCH_SERVER_CPU_PROF,
};

interface Client {
  id: string;
  pair: BlindedKeyPair;
  secret: Uint8Array;
}

interface Results {
  tables: TableActivity[];
  load: LoadResult;
  warm: LoadResult;
  register: LoadResult;
  polls: { answered: number; withData: number };
  verifyBefore: VerifyRate;
  verifyAfter: VerifyRate;
  poolSize: number;
  signSeconds: number;
  serverCpuSeconds: number;
  selfCpuSeconds: number;
}

async function main(): Promise<void> {
  await ready();
  const schema = `og_bench_${process.pid}_${toHex(sodium().randombytes_buf(3))}`;
  const dataDir = mkdtempSync(join(tmpdir(), 'og-bench-'));
  let server: RunningOpenGroups | undefined;
  let cleaning: Promise<void> | undefined;
  const cleanup = () =>
    (cleaning ??= (async () => {
      await server?.stop();
      await dropSchema(schema);
      rmSync(dataDir, { recursive: true, force: true });
    })());
  // However slow the machine, the run ends and leaves nothing behind.
  const abort = (why: string) => {
    console.error(why);
    void cleanup().finally(() => process.exit(1));
  };
  const watchdog = setTimeout(() => abort('benchmark took longer than 120 s: stopped'), 120_000).unref();
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => abort(`${signal}: stopped`));
  try {
    server = await startServer(schema, dataDir);
    report(await benchmark(server, schema));
  } finally {
    clearTimeout(watchdog);
    await cleanup();
  }
}

/** Setup, warm-up and the measured run against a started server; then the server is stopped. */
async function benchmark(server: RunningOpenGroups, schema: string): Promise<Results> {
  const base = `http://127.0.0.1:${server.port}`;

  const verifyBefore = measureVerifyRate(2000);
  const clients = createClients(settings.clients, server.serverPk);
  const headSeqno = await postMessages(base, server.serverPk, clients.slice(0, settings.messages / 2));

  // Setup, not measured: one poll per client, so that every user row exists (a first request
  // creates it, which costs several times a poll).
  const sign = (count: number) => presign(clients, server.serverPk, server.port, headSeqno, count);
  const register = await runLoad({ ...loadTarget(server.port), requests: await sign(clients.length), warmupMs: 0, durationMs: 20_000 });

  // Warm-up: caches and JIT warm. The whole of it is timed, so that its rate (which sizes the
  // measured run's pool) is known even when its own pool runs out first.
  const warm = await runLoad({
    ...loadTarget(server.port),
    requests: await sign(Math.min(settings.maxRequests, WARMUP_POOL_PER_SECOND * (settings.warmupMs / 1000))),
    warmupMs: 0,
    durationMs: settings.warmupMs,
  });
  if (warm.measured === 0) {
    const exit = server.process.exitCode ?? server.process.signalCode ?? 'still running';
    throw new Error(`warm-up got no answers (server: ${exit}): ${describeFailures([register, warm])}\n${server.output.join('')}`);
  }
  const signStarted = performance.now();
  const requests = await sign(measuredPoolSize(warm));
  const signSeconds = (performance.now() - signStarted) / 1000;

  const cpu = new CpuWindow([server.process.pid!]);
  const onWindow = (edge: 'start' | 'end') => {
    cpu.onWindow(edge);
    if (settings.serverCpuProfDir) server.process.kill(PROFILE_SIGNAL); // starts, then stops the profile
  };
  const polls = { answered: 0, withData: 0 };
  const load = await runLoad({
    ...loadTarget(server.port),
    requests,
    warmupMs: 0,
    durationMs: settings.durationMs,
    onResponse: (status, body) => {
      if (status !== 200) return;
      polls.answered++;
      if (body.length > 2) polls.withData++; // anything but "[]"
    },
    onWindow,
  });
  if (server.process.exitCode !== null || server.process.signalCode !== null) {
    throw new Error(`server stopped during the run (${server.process.exitCode ?? server.process.signalCode})\n${server.output.join('')}`);
  }
  const verifyAfter = measureVerifyRate(1000);
  await server.stop(); // its database sessions end and flush their table statistics
  const tables = await tableActivity(schema);

  return {
    tables,
    load,
    warm,
    register,
    polls,
    verifyBefore,
    verifyAfter,
    poolSize: requests.length,
    signSeconds,
    serverCpuSeconds: cpu.seconds[0],
    selfCpuSeconds: cpu.selfSeconds,
  };
}

/** Twice the warm-up's rate over the measured duration: room for a server that speeds up once warm. */
function measuredPoolSize(warm: LoadResult): number {
  const rate = warm.measured / (warm.windowMs / 1000);
  return Math.min(settings.maxRequests, Math.ceil(2 * rate * (settings.durationMs / 1000)) + settings.connections);
}

// ---------- baseline ----------

interface VerifyRate {
  /** Verifies per second of wall time on one core. */
  perSecond: number;
  /** Verifies per second of CPU time: the same figure with other processes' load taken out. */
  perCpuSecond: number;
}

/** Raw Ed25519 verify rate of one core, over a message shaped like a polling request's. */
function measureVerifyRate(ms: number): VerifyRate {
  const s = sodium();
  const { identity } = generateIdentity();
  const message = sogsSignedMessage({
    serverPk: s.randombytes_buf(32),
    nonce: s.randombytes_buf(16),
    timestamp: Math.floor(Date.now() / 1000),
    method: 'GET',
    path: `/room/${ROOM}/messages/since/123456`,
  });
  const signature = s.crypto_sign_detached(message, identity.ed25519.secretKey);
  let count = 0;
  const cpuStart = process.cpuUsage();
  const start = performance.now();
  let elapsed = 0;
  while (elapsed < ms) {
    for (let i = 0; i < 200; i++) {
      if (!verifyEd25519(signature, message, identity.ed25519.publicKey)) throw new Error('baseline signature did not verify');
    }
    count += 200;
    elapsed = performance.now() - start;
  }
  const cpu = process.cpuUsage(cpuStart);
  return { perSecond: count / (elapsed / 1000), perCpuSecond: count / ((cpu.user + cpu.system) / 1e6) };
}

// ---------- clients and requests ----------

function createClients(count: number, serverPk: Uint8Array): Client[] {
  return Array.from({ length: count }, () => {
    const secret = generateIdentity().identity.ed25519.secretKey;
    const pair = blind15KeyPair(secret, serverPk);
    return { id: `15${toHex(pair.publicKey)}`, pair, secret };
  });
}

/**
 * Signs with a client's blinded key derived once. Any uniformly random nonce r gives a valid
 * Ed25519 signature; blind15Sign re-derives the key and a deterministic r on every call, which
 * would triple the pre-signing time of the pool. Random bytes come from node:crypto: libsodium.js
 * fetches them from JavaScript four bytes at a time, which costs more than the signature.
 */
function signBlinded(pair: BlindedKeyPair, message: Uint8Array): Uint8Array {
  const s = sodium();
  const r = s.crypto_core_ed25519_scalar_reduce(randomBytes(64));
  const R = s.crypto_scalarmult_ed25519_base_noclamp(r);
  const h = s.crypto_core_ed25519_scalar_reduce(s.crypto_hash_sha512(concatBytes(R, pair.publicKey, message)));
  return concatBytes(R, s.crypto_core_ed25519_scalar_add(r, s.crypto_core_ed25519_scalar_mul(h, pair.secretScalar)));
}

interface SignJob {
  clients: Array<{ id: string; publicKey: Uint8Array; secretScalar: Uint8Array }>;
  serverPk: Uint8Array;
  port: number;
  headSeqno: number;
  count: number;
  timestamp: string;
}

/** Signs `count` requests on worker threads (one per core): the server is idle meanwhile. */
async function presign(clients: Client[], serverPk: Uint8Array, port: number, headSeqno: number, count: number): Promise<Buffer[]> {
  const workers = Math.max(1, Math.min(availableParallelism(), 4));
  const timestamp = String(Math.floor(Date.now() / 1000));
  const parts = await Promise.all(
    Array.from({ length: workers }, (_, w) => {
      const job: SignJob = {
        // Each worker signs for its own slice of clients, so that every client is used.
        clients: clients.filter((_, i) => i % workers === w).map((c) => ({ id: c.id, ...c.pair })),
        serverPk,
        port,
        headSeqno,
        count: Math.ceil(count / workers),
        timestamp,
      };
      return new Promise<Uint8Array[]>((resolve, reject) => {
        const worker = new Worker(__filename, { workerData: job });
        worker.once('message', resolve);
        worker.once('error', reject);
        worker.once('exit', (code) => code !== 0 && reject(new Error(`signing worker exited with ${code}`)));
      });
    }),
  );
  // Interleave the workers' output so that consecutive requests come from different clients.
  const requests: Buffer[] = [];
  for (let i = 0; requests.length < count; i++) {
    for (const part of parts) if (i < part.length && requests.length < count) requests.push(Buffer.from(part[i]));
  }
  return requests;
}

/**
 * One worker's share of the requests, each by the next client in turn with its own nonce. Most
 * polls are at the head of the room (empty answer); one in five is a few messages behind and gets
 * data.
 */
function signJob(job: SignJob): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let i = 0; i < job.count; i++) {
    const client = job.clients[i % job.clients.length];
    const behind = Math.random() < 0.2 ? 1 + Math.floor(Math.random() * 10) : 0;
    const path = `/room/${ROOM}/messages/since/${Math.max(0, job.headSeqno - behind)}`;
    const nonce = randomBytes(16);
    const message = sogsSignedMessage({ serverPk: job.serverPk, nonce, timestamp: job.timestamp, method: 'GET', path });
    const signature = signBlinded(client, message);
    if (i < job.clients.length && !verifyBlindedSignature(client.id, signature, message)) throw new Error('bench signer produced a bad signature');
    out.push(
      Buffer.from(
        `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${job.port}\r\n` +
          `X-SOGS-Pubkey: ${client.id}\r\nX-SOGS-Nonce: ${toBase64(nonce)}\r\n` +
          `X-SOGS-Timestamp: ${job.timestamp}\r\nX-SOGS-Signature: ${toBase64(signature)}\r\n\r\n`,
        'latin1',
      ),
    );
  }
  return out;
}

/** Posts the room's first messages (signed by the library's own signer) and returns the head seqno. */
async function postMessages(base: string, serverPk: Uint8Array, posters: Client[]): Promise<number> {
  const signed = async (client: Client, method: string, path: string, body?: Buffer) => {
    const headers: Record<string, string> = {
      ...signSogsRequest(client.secret, { serverPk, timestamp: Math.floor(Date.now() / 1000), method, path, body }, 'blind15'),
      ...(body ? { 'content-type': 'application/json' } : {}),
    };
    const res = await fetch(base + path, { method, headers, body });
    if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
    return res.json();
  };
  for (let round = 0; round < 2; round++) {
    for (const client of posters) {
      const body = Buffer.from(
        JSON.stringify({ data: toBase64(sodium().randombytes_buf(200)), signature: toBase64(sodium().randombytes_buf(64)) }),
      );
      await signed(client, 'POST', `/room/${ROOM}/message`, body);
    }
  }
  const messages = (await signed(posters[0], 'GET', `/room/${ROOM}/messages/since/0`)) as Array<{ seqno: number }>;
  if (messages.length !== posters.length * 2) throw new Error(`expected ${posters.length * 2} messages, got ${messages.length}`);
  return Math.max(...messages.map((m) => m.seqno));
}

// ---------- the server process ----------

function startServer(schema: string, dataDir: string): Promise<RunningOpenGroups> {
  return startOpenGroups(ROOM, {
    OPEN_GROUPS_DATA_DIR: dataDir,
    OPEN_GROUPS_DB_SCHEMA: schema,
    DATABASE_URL: settings.databaseUrl,
    REDIS_URL: undefined, // one process: no Redis, as a single-replica deployment runs
    ...(settings.serverCpuProfDir ? cpuProfileEnv(settings.serverCpuProfDir, PROFILE_SIGNAL) : {}),
  });
}

interface TableActivity {
  table: string;
  indexScans: number;
  rowsUpdated: number;
  rowsInserted: number;
}

/** What the server did to each table over the whole run (PostgreSQL's cumulative statistics). */
async function tableActivity(schema: string): Promise<TableActivity[]> {
  const db = await openDatabase({ url: settings.databaseUrl });
  try {
    let previous = '';
    // Sessions flush their counters as they end: read until two readings agree.
    return await eventually(
      async () => {
        const res = await db.query<{ relname: string; idx_scan: string | null; n_tup_upd: string; n_tup_ins: string }>(
          'SELECT relname, idx_scan, n_tup_upd, n_tup_ins FROM pg_stat_user_tables WHERE schemaname = $1 ORDER BY relname',
          [schema],
        );
        await db.query('SELECT pg_stat_clear_snapshot()');
        const reading = JSON.stringify(res.rows);
        if (reading !== previous) {
          previous = reading;
          throw new Error('statistics still changing');
        }
        return res.rows.map((row) => ({
          table: row.relname,
          indexScans: Number(row.idx_scan ?? 0),
          rowsUpdated: Number(row.n_tup_upd),
          rowsInserted: Number(row.n_tup_ins),
        }));
      },
      { timeoutMs: 5000, intervalMs: 300 },
    );
  } finally {
    await db.close();
  }
}

async function dropSchema(schema: string): Promise<void> {
  const db = await openDatabase({ url: settings.databaseUrl });
  try {
    await db.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  } finally {
    await db.close();
  }
}

// ---------- output ----------

function report(r: Results): void {
  const { load } = r;
  const seconds = load.windowMs / 1000;
  const rps = load.measured / seconds;
  // The higher of the two baseline samples: the stricter target when the machine is busy.
  const verifyRate = Math.max(r.verifyBefore.perSecond, r.verifyAfter.perSecond);
  const verifyPerCpuSecond = Math.max(r.verifyBefore.perCpuSecond, r.verifyAfter.perCpuSecond);
  const ratio = rps / verifyRate;
  const perServerCpuSecond = load.measured / r.serverCpuSeconds;
  const statuses = new Map<number, number>();
  const runs = [r.register, r.warm, load];
  for (const run of runs) for (const [status, n] of run.statuses) statuses.set(status, (statuses.get(status) ?? 0) + n);
  const failures = [...statuses].filter(([status]) => status !== 200);
  const connectionErrors = runs.flatMap((run) => run.errors);
  const errorCount = failures.reduce((sum, [, n]) => sum + n, 0) + connectionErrors.length;
  const ms = (v: number) => `${v.toFixed(2)} ms`;

  const rows: Array<[string, string]> = [
    ['clients (blind15 ids)', `${settings.clients}, first polls (user rows created) in ${(r.register.windowMs / 1000).toFixed(1)} s`],
    ['connections in flight', String(settings.connections)],
    ['requests pre-signed', `${r.poolSize} in ${r.signSeconds.toFixed(1)} s`],
    ['warm-up requests', `${r.warm.measured} in ${(r.warm.windowMs / 1000).toFixed(1)} s (${(r.warm.measured / (r.warm.windowMs / 1000)).toFixed(0)}/s)`],
    ['measured requests', `${load.measured} in ${seconds.toFixed(2)} s${load.exhausted ? ' (pool used up)' : ''}`],
    ['server requests/s', rps.toFixed(0)],
    ['polls that returned data', `${((100 * r.polls.withData) / r.polls.answered).toFixed(0)}%`],
    ['Ed25519 verify/s, 1 core', `${verifyRate.toFixed(0)} (before ${r.verifyBefore.perSecond.toFixed(0)}, after ${r.verifyAfter.perSecond.toFixed(0)})`],
    ['Ed25519 verify per CPU-second', verifyPerCpuSecond.toFixed(0)],
    ['latency p50', ms(quantile(load.latenciesMs, 0.5))],
    ['latency p99', ms(quantile(load.latenciesMs, 0.99))],
    ['latency max', ms(quantile(load.latenciesMs, 1))],
    ['server CPU', `${(r.serverCpuSeconds / seconds).toFixed(2)} cores (${r.serverCpuSeconds.toFixed(1)} s)`],
    ['server requests per CPU-second', perServerCpuSecond.toFixed(0)],
    ['load generator CPU', `${(r.selfCpuSeconds / seconds).toFixed(2)} cores`],
    ['DB per request (whole run)', dbPerRequest(r.tables, [...statuses.values()].reduce((a, b) => a + b, 0))],
    ['errors', String(errorCount)],
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  for (const [k, v] of rows) console.log(`${k.padEnd(width)}  ${v}`);
  for (const [status, n] of failures) {
    const sample = runs.map((run) => run.sampleBodies.get(status)).find((body) => body !== undefined);
    console.log(`  HTTP ${status} x${n}: ${sample ?? ''}`);
  }
  for (const message of new Set(connectionErrors)) console.log(`  ${message}`);
  const verdict = ratio >= TARGET_RATIO && errorCount === 0 ? 'MET' : 'MISSED';
  console.log(`ratio: ${ratio.toFixed(2)} (target >= ${TARGET_RATIO.toFixed(2)}) ${verdict}${errorCount ? ' (errors)' : ''}`);
  // Both rates per CPU-second: what the ratio would be if neither had to share the machine.
  console.log(`ratio per CPU-second: ${(perServerCpuSecond / verifyPerCpuSecond).toFixed(2)} (steadier on a busy machine)`);
}

function describeFailures(runs: LoadResult[]): string {
  const lines: string[] = [];
  for (const run of runs) {
    for (const [status, n] of run.statuses) if (status !== 200) lines.push(`HTTP ${status} x${n}: ${run.sampleBodies.get(status)}`);
    lines.push(...new Set(run.errors));
  }
  return lines.join('; ') || 'no errors seen';
}

/** e.g. "4.0 index scans; rows updated 2.0 (users 1.0, room_users 1.0)": the work behind each request. */
function dbPerRequest(tables: TableActivity[], requests: number): string {
  const per = (n: number) => (n / requests).toFixed(1);
  const scans = tables.reduce((sum, t) => sum + t.indexScans, 0);
  const updated = tables.filter((t) => t.rowsUpdated / requests >= 0.05);
  const updates = updated.reduce((sum, t) => sum + t.rowsUpdated, 0);
  const detail = updated.map((t) => `${t.table} ${per(t.rowsUpdated)}`).join(', ');
  return `${per(scans)} index scans; rows updated ${per(updates)}${detail ? ` (${detail})` : ''}`;
}


function loadTarget(port: number) {
  return { host: '127.0.0.1', port, connections: settings.connections };
}

if (isMainThread) {
  main().catch((err) => {
    console.error(err instanceof Error ? err.stack ?? err.message : err);
    process.exitCode = 1;
  });
} else {
  void ready().then(() => parentPort!.postMessage(signJob(workerData as SignJob)));
}
