// Community server under its most expensive allowed request: one anonymous POST /batch of 256
// room reads (the most subrequests a batch may carry, each reading up to 256 messages), or the
// same nested. First each candidate runs alone (its server CPU time per request, answer size);
// then `GET /capabilities` latency is measured twice in this run, without and then while the
// worst allowed batch runs back to back on another connection. Prints the p99 ratio
// (target <= 2).
//
// Run: `node test/dist/bench/run.js open-groups-batch` after `npx nx run-many -t build`.
// Knobs (env): BENCH_DB (pglite | pg; pglite), DATABASE_URL (for pg), BENCH_DURATION_S (3 per
// round), BENCH_ROUNDS (3: each measures alone, then during), BENCH_MESSAGES (256),
// BENCH_MESSAGE_BYTES (1000), BENCH_CONNECTIONS (4).
import { ready, signSogsRequest, sodium, toBase64, toHex, generateIdentity } from '@starling/crypto';
import { openDatabase } from '@starling/platform';
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { isMainThread, parentPort, Worker, workerData } from 'worker_threads';
import { intEnv } from './bench-env';
import { quantile, runLoad, type LoadResult } from './http-load';
import { startOpenGroups, type RunningOpenGroups } from './open-groups-process';
import { loadAverage, processCpuSeconds } from './proc-cpu';

const ROOM = 'bench';
const TARGET_P99_RATIO = 2;
const MAX_SUBREQUESTS = 256;

const settings = {
  db: process.env.BENCH_DB === 'pg' ? 'pg' : 'pglite',
  databaseUrl: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test',
  durationMs: intEnv('BENCH_DURATION_S', 3) * 1000,
  rounds: intEnv('BENCH_ROUNDS', 3),
  messages: intEnv('BENCH_MESSAGES', 256),
  messageBytes: intEnv('BENCH_MESSAGE_BYTES', 1000),
  connections: intEnv('BENCH_CONNECTIONS', 4),
};

/** A batch body: `count` copies of one subrequest. */
const batchOf = (sub: unknown, count = MAX_SUBREQUESTS) => JSON.stringify(Array.from({ length: count }, () => sub));

/** The candidates for "most expensive request": anonymous, so anyone can send them. */
const CANDIDATES: Record<string, { path: string; body: string }> = {
  '256 x recent?limit=256': { path: '/batch', body: batchOf({ method: 'GET', path: `/room/${ROOM}/messages/recent?limit=256&reactors=20` }) },
  '256 x since/0?limit=256': { path: '/batch', body: batchOf({ method: 'GET', path: `/room/${ROOM}/messages/since/0?limit=256&t=r&reactors=20` }) },
  '256 x capabilities': { path: '/batch', body: batchOf({ method: 'GET', path: '/capabilities' }) },
  '/sequence of 256 x recent': { path: '/sequence', body: batchOf({ method: 'GET', path: `/room/${ROOM}/messages/recent?limit=256&reactors=20` }) },
  'nested: 256 x /batch of 256 x capabilities': {
    path: '/batch',
    body: batchOf({ method: 'POST', path: '/batch', json: Array.from({ length: MAX_SUBREQUESTS }, () => ({ method: 'GET', path: '/capabilities' })) }),
  },
};

interface Cost {
  name: string;
  status: number;
  requestBytes: number;
  responseBytes: number;
  cpuMsPerRequest: number;
  wallMsPerRequest: number;
}

async function main(): Promise<void> {
  await ready();
  const dataDir = mkdtempSync(join(tmpdir(), 'og-batch-bench-'));
  const schema = `og_batch_${process.pid}_${toHex(sodium().randombytes_buf(3))}`;
  let server: RunningOpenGroups | undefined;
  const watchdog = setTimeout(() => {
    console.error('benchmark took longer than 300 s: stopped');
    void server?.stop().finally(() => process.exit(1));
  }, 300_000).unref();
  try {
    server = await startOpenGroups(ROOM, {
      OPEN_GROUPS_DATA_DIR: dataDir,
      DATABASE_URL: settings.db === 'pg' ? settings.databaseUrl : undefined,
      OPEN_GROUPS_DB_SCHEMA: settings.db === 'pg' ? schema : undefined,
      REDIS_URL: undefined,
      OPEN_GROUPS_POST_RATE_LIMIT: '1000000', // seeding posts as one user
    });
    const base = `http://127.0.0.1:${server.port}`;
    await seedMessages(base, server.serverPk);

    const costs: Cost[] = [];
    for (const [name, candidate] of Object.entries(CANDIDATES)) costs.push(await measureCost(server, name, candidate));
    const allowed = costs.filter((c) => c.status === 200);
    const worst = allowed.reduce((a, b) => (b.cpuMsPerRequest > a.cpuMsPerRequest ? b : a));

    // Alternating rounds, so that other load on a shared machine falls on both sides alike.
    const alone: LoadResult[] = [];
    const loaded: LoadResult[] = [];
    const attacks: AttackResult[] = [];
    for (let round = 0; round < settings.rounds; round++) {
      alone.push(await capabilitiesLatency(server.port));
      const attacker = startAttacker(server.port, CANDIDATES[worst.name]);
      loaded.push(await capabilitiesLatency(server.port));
      attacks.push(await attacker.stop());
    }
    if (server.exited()) throw new Error(`server stopped during the run\n${server.output.join('')}`);
    report(costs, worst, merge(alone), merge(loaded), attacks);
  } finally {
    clearTimeout(watchdog);
    await server?.stop();
    rmSync(dataDir, { recursive: true, force: true });
    if (settings.db === 'pg') {
      const db = await openDatabase({ url: settings.databaseUrl });
      await db.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).finally(() => db.close());
    }
  }
}

/** The room's messages, posted by one signed user. */
async function seedMessages(base: string, serverPk: Uint8Array): Promise<void> {
  const secret = generateIdentity().identity.ed25519.secretKey;
  const path = `/room/${ROOM}/message`;
  for (let i = 0; i < settings.messages; i++) {
    const body = Buffer.from(JSON.stringify({ data: toBase64(sodium().randombytes_buf(settings.messageBytes)), signature: toBase64(sodium().randombytes_buf(64)) }));
    const headers = { ...signSogsRequest(secret, { serverPk, timestamp: Math.floor(Date.now() / 1000), method: 'POST', path, body }, 'blind15'), 'content-type': 'application/json' };
    const res = await fetch(base + path, { method: 'POST', headers, body });
    if (res.status !== 201) throw new Error(`seeding: ${res.status} ${await res.text()}`);
  }
}

/** One candidate alone, a few times in a row: server CPU and wall time per request. */
async function measureCost(server: RunningOpenGroups, name: string, candidate: { path: string; body: string }): Promise<Cost> {
  const url = `http://127.0.0.1:${server.port}${candidate.path}`;
  const send = async () => {
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: candidate.body });
    return { status: res.status, bytes: (await res.arrayBuffer()).byteLength };
  };
  await send(); // warm
  const runs = 5;
  const cpu0 = processCpuSeconds(server.process.pid!);
  const t0 = performance.now();
  let last = { status: 0, bytes: 0 };
  for (let i = 0; i < runs; i++) last = await send();
  const wallMs = performance.now() - t0;
  const cpuMs = (processCpuSeconds(server.process.pid!) - cpu0) * 1000;
  return { name, status: last.status, requestBytes: candidate.body.length, responseBytes: last.bytes, cpuMsPerRequest: cpuMs / runs, wallMsPerRequest: wallMs / runs };
}

/** GET /capabilities on keep-alive connections for the run's duration. */
function capabilitiesLatency(port: number): Promise<LoadResult> {
  const request = Buffer.from(`GET /capabilities HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`, 'latin1');
  return runLoad({
    host: '127.0.0.1',
    port,
    connections: settings.connections,
    requests: Array.from({ length: 400_000 }, () => request),
    warmupMs: 500,
    durationMs: settings.durationMs,
  });
}

interface AttackJob {
  port: number;
  path: string;
  body: string;
}

interface AttackResult {
  sent: number;
  statuses: Record<number, number>;
}

/** The worst batch back to back on its own thread, so that reading its answers does not slow the measuring side. */
function startAttacker(port: number, candidate: { path: string; body: string }): { stop(): Promise<AttackResult> } {
  const worker = new Worker(__filename, { workerData: { port, ...candidate } satisfies AttackJob });
  const result = new Promise<AttackResult>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  return {
    stop: async () => {
      worker.postMessage('stop');
      return result;
    },
  };
}

async function attack(job: AttackJob): Promise<void> {
  let stopping = false;
  parentPort!.once('message', () => (stopping = true));
  const out: AttackResult = { sent: 0, statuses: {} };
  while (!stopping) {
    const res = await fetch(`http://127.0.0.1:${job.port}${job.path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: job.body });
    await res.arrayBuffer();
    out.sent++;
    out.statuses[res.status] = (out.statuses[res.status] ?? 0) + 1;
  }
  parentPort!.postMessage(out);
}

/** Several rounds as one: latencies pooled, counts summed. */
function merge(runs: LoadResult[]): LoadResult {
  const latencies = Float64Array.from(runs.flatMap((r) => [...r.latenciesMs])).sort();
  const statuses = new Map<number, number>();
  for (const r of runs) for (const [status, n] of r.statuses) statuses.set(status, (statuses.get(status) ?? 0) + n);
  return {
    measured: runs.reduce((n, r) => n + r.measured, 0),
    warmup: runs.reduce((n, r) => n + r.warmup, 0),
    windowMs: runs.reduce((n, r) => n + r.windowMs, 0),
    latenciesMs: latencies,
    statuses,
    sampleBodies: new Map(runs.flatMap((r) => [...r.sampleBodies])),
    errors: runs.flatMap((r) => r.errors),
    exhausted: runs.some((r) => r.exhausted),
  };
}

function report(costs: Cost[], worst: Cost, alone: LoadResult, loaded: LoadResult, attacks: AttackResult[]): void {
  const kb = (n: number) => `${(n / 1024).toFixed(0)} KiB`;
  console.log(`database: ${settings.db}; room: ${settings.messages} messages of ${settings.messageBytes} bytes`);
  console.log('candidate                                      status  request   answer     server CPU/req  wall/req');
  for (const c of costs) {
    console.log(
      `${c.name.padEnd(46)} ${String(c.status).padEnd(7)} ${kb(c.requestBytes).padStart(8)} ${kb(c.responseBytes).padStart(10)} ${`${c.cpuMsPerRequest.toFixed(0)} ms`.padStart(15)} ${`${c.wallMsPerRequest.toFixed(0)} ms`.padStart(9)}`,
    );
  }
  const p = (r: LoadResult, q: number) => quantile(r.latenciesMs, q);
  const rate = (r: LoadResult) => (r.measured / (r.windowMs / 1000)).toFixed(0);
  console.log(`worst allowed request: ${worst.name} (${worst.cpuMsPerRequest.toFixed(0)} ms server CPU each)`);
  console.log(`GET /capabilities alone:        p50 ${p(alone, 0.5).toFixed(2)} ms  p99 ${p(alone, 0.99).toFixed(2)} ms  max ${p(alone, 1).toFixed(1)} ms  ${rate(alone)}/s`);
  console.log(`GET /capabilities during worst: p50 ${p(loaded, 0.5).toFixed(2)} ms  p99 ${p(loaded, 0.99).toFixed(2)} ms  max ${p(loaded, 1).toFixed(1)} ms  ${rate(loaded)}/s`);
  const statuses: Record<number, number> = {};
  for (const a of attacks) for (const [status, n] of Object.entries(a.statuses)) statuses[Number(status)] = (statuses[Number(status)] ?? 0) + n;
  console.log(`worst requests answered meanwhile: ${attacks.reduce((n, a) => n + a.sent, 0)} (by status ${JSON.stringify(statuses)}); load average ${loadAverage()}`);
  const failures = [...alone.statuses, ...loaded.statuses].filter(([status]) => status !== 200);
  for (const message of new Set([...alone.errors, ...loaded.errors])) console.log(`  ${message}`);
  for (const [status, n] of failures) console.log(`  HTTP ${status} x${n}`);
  const errors = alone.errors.length + loaded.errors.length + failures.length;
  const ratio = p(loaded, 0.99) / p(alone, 0.99);
  console.log(`p99 ratio: ${ratio.toFixed(2)} (target <= ${TARGET_P99_RATIO}) ${ratio <= TARGET_P99_RATIO && errors === 0 ? 'MET' : 'MISSED'}${errors ? ' (errors)' : ''}`);
}

if (isMainThread) {
  main().catch((err) => {
    console.error(err instanceof Error ? (err.stack ?? err.message) : err);
    process.exitCode = 1;
  });
} else {
  void attack(workerData as AttackJob);
}
