// Memory benchmark: the resident memory of every process of the local network, per service kind,
// which is what a pod's memory request and limit are set from (the kernel charges resident pages
// to the pod's cgroup). For each process: its start-up peak (VmHWM on the first start on an empty
// data folder, as a new pod's; peaks between samples included), its steady level once it has
// settled (median RSS over the last MEMORY_BENCH_STEADY_S of MEMORY_BENCH_SECONDS idle), then its
// highest RSS under a client load (message-load.ts: messages stored through the relays, for
// MEMORY_BENCH_LOAD_S). Two baselines run beside the network, sampled the same way on the same
// machine: a bare `node -e` process and a bare PGlite (library defaults) opening an empty database;
// figures are also given as ratios to them.
//
// Prints a table (MiB) and the whole network's resident total. About MEMORY_BENCH_SECONDS +
// MEMORY_BENCH_LOAD_S + the network's start (under a minute to a few on a shared laptop).
// Run: `node test/dist/bench/run.js memory` after `npx nx run-many -t build`.
// Knobs (env): MEMORY_BENCH_STORES (3), MEMORY_BENCH_RELAYS (2), MEMORY_BENCH_SECONDS (150, from
// the moment the network is ready), MEMORY_BENCH_STEADY_S (30), MEMORY_BENCH_LOAD_S (60),
// MEMORY_BENCH_CLIENTS (8 workers of the load); BENCH_NODE_OPTIONS (NODE_OPTIONS of every service
// process instead of the devnet's SERVICE_NODE_OPTIONS, to try V8 heap flags; empty: Node's
// defaults). DATABASE_URL: the services on PostgreSQL (one schema each) instead of PGlite; the
// PGlite baseline runs either way.
import { spawn, type ChildProcess } from 'child_process';
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { SERVICE_NODE_OPTIONS } from '../devnet';
import { intEnv } from './bench-env';
import { runBench, startBenchNetwork } from './bench-network';
import { sendMessages } from './message-load';
import { loadAverage } from './proc-cpu';
import { highestRss, mib, MemorySampler, rssAt, steadyRss, type MemoryTrace } from './proc-memory';

const settings = {
  stores: intEnv('MEMORY_BENCH_STORES', 3),
  relays: intEnv('MEMORY_BENCH_RELAYS', 2),
  runMs: intEnv('MEMORY_BENCH_SECONDS', 150) * 1000,
  steadyMs: intEnv('MEMORY_BENCH_STEADY_S', 30) * 1000,
  loadMs: intEnv('MEMORY_BENCH_LOAD_S', 60) * 1000,
  clients: intEnv('MEMORY_BENCH_CLIENTS', 8),
  nodeOptions: process.env.BENCH_NODE_OPTIONS,
};
const SAMPLE_INTERVAL_MS = 500;
/** Timeline columns: RSS this long after the network was ready. */
const TIMELINE_S = [0, 30, 60, 90, 120, 180, 240, 300];

interface Kind {
  name: string;
  traces: MemoryTrace[];
}

interface Row {
  name: string;
  count: number;
  /** Highest start-up peak of the kind's processes. */
  peak: number;
  /** Mean of the processes' steady levels. */
  steady: number;
  /** Highest RSS of the kind's processes under load. */
  loaded: number;
  timeline: number[];
}

/** When each phase began and ended, ms on the sampler's clock. */
interface Phases {
  readyAt: number;
  idleEnd: number;
  loadEnd: number;
  /** VmHWM of every process at the end of the idle phase: the start-up peak. */
  startPeaks: Map<number, number>;
}

/** Spawns a baseline process; resolves once it prints `ready` (at once for `node -e`). */
async function startBaseline(args: string[], waitForReady: boolean): Promise<ChildProcess> {
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  if (!waitForReady) return child;
  await new Promise<void>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('ready')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`baseline ${args.join(' ')} exited with ${code}`)));
  });
  return child;
}

function stopBaseline(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  return exited;
}

function rowOf(kind: Kind, phases: Phases): Row {
  const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
  return {
    name: kind.name,
    count: kind.traces.length,
    peak: Math.max(...kind.traces.map((t) => phases.startPeaks.get(t.pid) ?? NaN)),
    steady: mean(kind.traces.map((t) => steadyRss(t, phases.idleEnd - settings.steadyMs, phases.idleEnd))),
    loaded: Math.max(...kind.traces.map((t) => highestRss(t, phases.idleEnd, phases.loadEnd))),
    timeline: TIMELINE_S.map((s) => phases.readyAt + s * 1000)
      .filter((at) => at <= phases.idleEnd)
      .map((at) => mean(kind.traces.map((t) => rssAt(t, at)))),
  };
}

/** The network's resident total per sample tick (every process sampled at the same tick), highest in [fromMs, toMs]. */
function highestTotal(traces: MemoryTrace[], fromMs: number, toMs: number): number {
  const byTick = new Map<number, number>();
  for (const trace of traces) {
    for (const [at, rss] of trace.samples) if (at >= fromMs && at <= toMs) byTick.set(at, (byTick.get(at) ?? 0) + rss);
  }
  return Math.max(...byTick.values());
}

function printTable(rows: Row[], bareNode: Row, barePglite: Row): void {
  const timelineHeads = TIMELINE_S.slice(0, rows[0]!.timeline.length).map((s) => `+${s}s`);
  const header = ['process', 'n', 'peak', 'steady', 'loaded', 'peak/pglite', 'steady/pglite', 'steady/node', ...timelineHeads];
  const ratio = (a: number, b: number) => (a / b).toFixed(2);
  const lines = [...rows, bareNode, barePglite].map((r) => [
    r.name,
    String(r.count),
    mib(r.peak),
    mib(r.steady),
    mib(r.loaded),
    ratio(r.peak, barePglite.peak),
    ratio(r.steady, barePglite.steady),
    ratio(r.steady, bareNode.steady),
    ...r.timeline.map(mib),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => (l[i] ?? '').length)));
  const format = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  console.log(format(header));
  for (const line of lines) console.log(format(line));
}

/** `12345 stored, node 421: 3` */
function describeOutcomes(outcomes: Map<string, number>): string {
  const stored = outcomes.get('200') ?? 0;
  const others = [...outcomes].filter(([outcome]) => outcome !== '200').map(([outcome, n]) => `${outcome}: ${n}`);
  return [`${stored} stored`, ...others].join(', ');
}

runBench(20 * 60_000 + settings.runMs + settings.loadMs, async () => {
  const sampler = new MemorySampler(SAMPLE_INTERVAL_MS);
  sampler.start();
  const baselineDir = mkdtempSync(join(tmpdir(), 'starling-bench-memory-pglite-'));
  const baselines: ChildProcess[] = [];
  try {
    const bareNode = await startBaseline(['-e', 'setInterval(() => {}, 1 << 30)'], false);
    baselines.push(bareNode);
    const barePglite = await startBaseline([join(__dirname, 'pglite-idle.js'), join(baselineDir, 'db')], true);
    baselines.push(barePglite);

    const network = await startBenchNetwork({
      tag: 'memory',
      storeNodes: settings.stores,
      relays: settings.relays,
      servers: { fileServer: true, community: true },
      pushEnv: {},
      readyTimeoutMs: 300_000,
    });
    const readyAt = sampler.now();
    console.log(`network ready after ${(readyAt / 1000).toFixed(0)} s (${network.backend}); sampling every ${SAMPLE_INTERVAL_MS} ms, idle for ${settings.runMs / 1000} s, then ${settings.loadMs / 1000} s under load`);
    await new Promise((resolve) => setTimeout(resolve, settings.runMs));
    const idleEnd = sampler.now();
    const startPeaks = new Map([...sampler.traces.values()].map((t) => [t.pid, t.peak]));
    const outcomes = await sendMessages(
      network.nodes.filter((n) => n.role === 'relay'),
      network.nodes.filter((n) => n.role === 'store'),
      settings.clients,
      performance.now() + settings.loadMs,
    );
    await new Promise((resolve) => setTimeout(resolve, 2 * SAMPLE_INTERVAL_MS));
    sampler.stop();
    const phases: Phases = { readyAt, idleEnd, loadEnd: sampler.now(), startPeaks };

    const trace = (pid: number | undefined, what: string) => {
      const found = pid === undefined ? undefined : sampler.traces.get(pid);
      if (!found) throw new Error(`${what} (pid ${pid}) was never sampled`);
      return found;
    };
    const kinds = new Map<string, Kind>();
    const services = network.devnet.services;
    for (const p of services) {
      const kind = kinds.get(p.spec.service) ?? { name: p.spec.service, traces: [] };
      kind.traces.push(trace(p.pid, p.name));
      kinds.set(p.spec.service, kind);
    }
    const rows = [...kinds.values()].map((k) => rowOf(k, phases));
    const nodeRow = rowOf({ name: 'baseline: node -e', traces: [trace(bareNode.pid, 'node -e')] }, phases);
    const pgliteRow = rowOf({ name: 'baseline: bare PGlite', traces: [trace(barePglite.pid, 'bare PGlite')] }, phases);

    console.log(`\nresident memory, MiB: peak = VmHWM over the start and ${settings.runMs / 1000} s idle; steady = median RSS of the last ${settings.steadyMs / 1000} s idle;`);
    console.log(`loaded = highest RSS while ${settings.clients} clients sent messages through the relays (${describeOutcomes(outcomes)})`);
    console.log(`services: ${network.backend}, NODE_OPTIONS="${settings.nodeOptions ?? SERVICE_NODE_OPTIONS}"; load average ${loadAverage()}\n`);
    printTable(rows, nodeRow, pgliteRow);
    const all = services.map((p) => trace(p.pid, p.name));
    console.log(
      `\nwhole network (${services.length} processes): ${mib(highestTotal(all, 0, idleEnd))} MiB at its highest over the start and idle, ` +
        `${mib(highestTotal(all, idleEnd - SAMPLE_INTERVAL_MS, idleEnd))} at the end of idle, ${mib(highestTotal(all, idleEnd, phases.loadEnd))} at its highest under load`,
    );
  } finally {
    sampler.stop();
    await Promise.all(baselines.map(stopBaseline));
    rmSync(baselineDir, { recursive: true, force: true });
  }
});
