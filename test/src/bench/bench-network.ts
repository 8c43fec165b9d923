// The local network a benchmark runs against: a devnet in a temporary folder (PGlite, or one
// schema per process in DATABASE_URL when set), relays and storage nodes as real processes on
// loopback, and a run harness that bounds the benchmark in time and always removes what it made:
// processes, the folder, the schemas.
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { fetchServiceNodes, type ServiceNode } from '@starling/client';
import { eventually, openDatabase, uniqueName } from '@starling/platform';
import { edgeServices, startDevnet, type Devnet, type EdgeDirectory, type EdgeOptions, type ServiceProcess } from '../devnet';
import { cpuProfileEnv } from './proc-cpu';

export interface BenchNetworkOptions {
  /** Names the temporary folder and the schemas. */
  tag: string;
  storeNodes: number;
  relays: number;
  relayEnv?: Record<string, string>;
  storeEnv?: Record<string, string>;
  /** A push server too, with this environment. */
  pushEnv?: Record<string, string>;
  /** Also a file server and a community server (with these rooms). */
  servers?: { fileServer?: boolean; community?: boolean; rooms?: string[] };
  readyTimeoutMs: number;
}

export interface BenchNetwork {
  devnet: Devnet;
  /** The relay processes, in start order (relay-1 first). */
  relays: ServiceProcess[];
  /** Every node as the seed lists it to clients (keys, address, role). */
  nodes: ServiceNode[];
  /** Where the network keeps its data, for the report. */
  backend: string;
  /** Where the edge servers are (file, community and push servers, when asked for). */
  edge: EdgeDirectory;
}

/** What `cleanup` must undo; filled in as the network comes up, so a failed start is undone too. */
interface Leftovers {
  devnet?: Devnet;
  dataDir?: string;
  databaseUrl?: string;
  schemaPrefix?: string;
}

let leftovers: Leftovers = {};
let cleaning: Promise<void> | undefined;

export async function startBenchNetwork(options: BenchNetworkOptions): Promise<BenchNetwork> {
  const databaseUrl = process.env.DATABASE_URL || undefined;
  const schemaPrefix = uniqueName(`bench_${options.tag.replace(/-/g, '_')}`);
  const dataDir = mkdtempSync(join(tmpdir(), `starling-bench-${options.tag}-`));
  leftovers = { dataDir, databaseUrl, schemaPrefix };
  // BENCH_NODE_OPTIONS: NODE_OPTIONS of every service process, instead of the devnet's
  // SERVICE_NODE_OPTIONS (to try V8 heap flags; empty: Node's defaults).
  const nodeOptions = process.env.BENCH_NODE_OPTIONS;
  const common: Record<string, string> = nodeOptions !== undefined ? { NODE_OPTIONS: nodeOptions } : {};
  // BENCH_CPU_PROF_DIR: every service process writes a CPU profile of its whole life there.
  if (process.env.BENCH_CPU_PROF_DIR) Object.assign(common, cpuProfileEnv(process.env.BENCH_CPU_PROF_DIR));
  const edge: EdgeOptions = {
    relays: options.relays,
    fileServer: false,
    community: false,
    ...options.servers,
    relayEnv: { ...common, ...options.relayEnv },
    fileServerEnv: common,
    communityEnv: common,
    push: options.pushEnv !== undefined,
    pushEnv: { ...common, ...options.pushEnv },
  };
  const directory: EdgeDirectory = {};
  const devnet = await startDevnet({
    dataDir,
    storeNodes: options.storeNodes,
    databaseUrl,
    schemaPrefix,
    fastTimings: true,
    registryEnv: common,
    storeEnv: { ...common, ...options.storeEnv },
    extraServices: edgeServices(edge, directory),
    readyTimeoutMs: options.readyTimeoutMs,
  });
  leftovers.devnet = devnet;
  // Clients see only what the seed lists: wait until every process is in it.
  const nodes = await eventually(
    async () => {
      const listed = await fetchServiceNodes(devnet.seedUrl);
      const relays = listed.filter((n) => n.role === 'relay').length;
      const stores = listed.filter((n) => n.role === 'store').length;
      if (relays !== options.relays || stores !== options.storeNodes) {
        throw new Error(`the seed lists ${relays}/${options.relays} relays and ${stores}/${options.storeNodes} storage nodes`);
      }
      return listed;
    },
    { timeoutMs: options.readyTimeoutMs, intervalMs: 250 },
  );
  return {
    devnet,
    relays: devnet.services.filter((s) => s.spec.service === 'entry-relay'),
    nodes,
    backend: databaseUrl ? `PostgreSQL (schemas ${schemaPrefix}_*)` : 'PGlite',
    edge: directory,
  };
}

/** The seed entry of a relay process (matched by its public HTTP port). */
export function seedEntryOf(network: BenchNetwork, relay: ServiceProcess): ServiceNode {
  const node = network.nodes.find((n) => n.role === 'relay' && n.port === relay.spec.httpPort);
  if (!node) throw new Error(`${relay.name} is not in the seed's list`);
  return node;
}

/** Stops every process, removes the folder and drops the schemas; safe to call more than once. */
export function cleanupBenchNetwork(): Promise<void> {
  return (cleaning ??= (async () => {
    const { devnet, dataDir, databaseUrl, schemaPrefix } = leftovers;
    await devnet?.stop().catch((err) => console.error(`stopping the devnet: ${(err as Error).message}`));
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    if (databaseUrl && schemaPrefix) await dropSchemas(databaseUrl, schemaPrefix);
  })());
}

async function dropSchemas(url: string, prefix: string): Promise<void> {
  const db = await openDatabase({ url });
  try {
    const { rows } = await db.query<{ nspname: string }>('SELECT nspname FROM pg_namespace WHERE starts_with(nspname, $1)', [`${prefix}_`]);
    for (const { nspname } of rows) await db.query(`DROP SCHEMA IF EXISTS "${nspname}" CASCADE`);
  } finally {
    await db.close();
  }
}

/**
 * Runs a benchmark within `limitMs`, then cleans up. The verdict is printed by `body`; the exit
 * code is 0 whatever the figures, 1 when the network could not be set up or the time ran out.
 */
export function runBench(limitMs: number, body: () => Promise<void>): void {
  const abort = (why: string) => {
    console.error(why);
    void cleanupBenchNetwork().finally(() => process.exit(1));
  };
  const watchdog = setTimeout(() => abort(`benchmark took longer than ${limitMs / 1000} s: stopped`), limitMs).unref();
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => abort(`${signal}: stopped`));
  body()
    .catch((err) => {
      console.error(err instanceof Error ? err.stack ?? err.message : err);
      process.exitCode = 1;
    })
    .finally(async () => {
      clearTimeout(watchdog);
      await cleanupBenchNetwork();
    });
}
