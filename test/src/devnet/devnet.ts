// The whole network on one machine: registry replica(s), storage nodes forming swarms, and any
// further services a caller adds as ServiceSpecs. Real processes, real ports on loopback, one
// data folder (PGlite per process) or one PostgreSQL database with a schema per process.
import { promises as fs, rmSync } from 'fs';
import * as path from 'path';
import { createGrpcClient, registry } from '@starling/proto';
import { freePort } from './ports';
import { dropDevnetSchemas } from './schemas';
import { proxyAllowList, ServiceProcess, type ServiceSpec } from './service-process';

export interface DevnetOptions {
  /** Everything the network keeps: databases, node keys, logs (default ./.data/devnet). */
  dataDir?: string;
  /** Storage nodes to start (default 6: two swarms of 3 with the local sizes). */
  storeNodes?: number;
  /** Registry replicas (default 1); more than one needs databaseUrl (PGlite allows one process). */
  registryReplicas?: number;
  /** PostgreSQL for every process, each in its own schema; PGlite in dataDir when absent. */
  databaseUrl?: string;
  redisUrl?: string;
  /** Prefix of the schemas in databaseUrl (default `devnet`); tests pass a unique one. */
  schemaPrefix?: string;
  swarmMinSize?: number;
  swarmTargetSize?: number;
  swarmMargin?: number;
  /** Short test and heartbeat timings, so that whole-network tests see failures within seconds. */
  fastTimings?: boolean;
  /** Extra environment for every registry replica / storage node (overrides the launcher's). */
  registryEnv?: Record<string, string>;
  storeEnv?: Record<string, string>;
  /**
   * Further services (relay, file server, community server...): laid out before the storage nodes
   * (a spec's `proxyTarget` joins every storage node's proxy allow-list), started after them.
   */
  extraServices?: (net: DevnetContext) => Promise<ServiceSpec[]> | ServiceSpec[];
  readyTimeoutMs?: number;
  /** Progress lines (default: none). */
  log?: (line: string) => void;
}

/** What a service spec needs to know about the network it joins. */
export interface DevnetContext {
  dataDir: string;
  seedUrl: string;
  registryGrpcAddress: string;
  registryPubkey: string;
  databaseUrl: string | undefined;
  redisUrl: string | undefined;
  freePort(): Promise<number>;
  /** DATABASE_URL (+ the schema variable name given) for one process, or {} on PGlite. */
  databaseEnv(schemaVariable: string, instance: string): Record<string, string>;
}

export interface Devnet {
  dataDir: string;
  /** What a client needs: `http://127.0.0.1:<port>/` (append json_rpc). */
  seedUrl: string;
  registryPubkey: string;
  registries: ServiceProcess[];
  stores: ServiceProcess[];
  /** Every process, in start order. */
  services: ServiceProcess[];
  /** Starts one more storage node (announcing to the given registry replica, default the first). */
  addStoreNode(options?: { registryIndex?: number }): Promise<ServiceProcess>;
  /** The map as a registry replica serves it (default: the first one still running). */
  networkMap(registryIndex?: number): Promise<registry.NetworkMap>;
  stop(): Promise<void>;
  /** Stops it and removes what it kept: its folder and, on PostgreSQL, its schemas. */
  discard(): Promise<void>;
}

/** The network map as the registry replica at `grpcAddress` serves it. */
export async function fetchNetworkMap(grpcAddress: string): Promise<registry.NetworkMap> {
  const client = createGrpcClient(registry.RegistryServiceService, grpcAddress, { deadlineMs: 5_000 });
  try {
    return (await client.getNetworkMap({})).map!;
  } finally {
    client.close();
  }
}

const LOCAL_SIZES = { min: 2, target: 3, margin: 1 };

const FAST_REGISTRY_TIMINGS: Record<string, string> = {
  REGISTRY_HEARTBEAT_INTERVAL: '1s',
  REGISTRY_HEARTBEAT_TIMEOUT: '10s',
  REGISTRY_TEST_INTERVAL: '500ms',
  REGISTRY_TEST_JITTER: '100ms',
  REGISTRY_TEST_BACKOFF: '200ms',
  REGISTRY_TEST_MAX_INTERVAL: '2s',
  REGISTRY_TEST_TIMEOUT: '1s',
  REGISTRY_TEST_TICK: '100ms',
  REGISTRY_LEADER_POLL_INTERVAL: '300ms',
};

export async function startDevnet(options: DevnetOptions = {}): Promise<Devnet> {
  const dataDir = path.resolve(options.dataDir ?? './.data/devnet');
  const replicas = options.registryReplicas ?? 1;
  const log = options.log ?? (() => undefined);
  // Generous: PGlite (WASM) processes starting together on a busy laptop take a while.
  const readyTimeout = options.readyTimeoutMs ?? 180_000;
  if (replicas < 1) throw new Error('at least one registry replica is needed');
  if (replicas > 1 && !options.databaseUrl) {
    throw new Error('several registry replicas need a PostgreSQL server (--database-url): PGlite allows one process per database');
  }
  const schemaPrefix = options.schemaPrefix ?? 'devnet';
  if (!/^[a-z_][a-z0-9_]{0,40}$/.test(schemaPrefix)) throw new Error('schemaPrefix: lower-case letters, digits and _ only');
  await fs.mkdir(dataDir, { recursive: true });

  const services: ServiceProcess[] = [];
  const databaseEnv = (schemaVariable: string, instance: string): Record<string, string> =>
    options.databaseUrl ? { DATABASE_URL: options.databaseUrl, [schemaVariable]: `${schemaPrefix}_${instance.replace(/-/g, '_')}` } : {};
  const redisEnv: Record<string, string> = options.redisUrl ? { REDIS_URL: options.redisUrl } : {};
  const processFor = (spec: ServiceSpec) => {
    const p = new ServiceProcess(spec, path.join(dataDir, 'logs', `${spec.name}.log`));
    services.push(p);
    return p;
  };
  const stop = async () => {
    // Reverse start order: clients of the registry go before the registry.
    for (const p of [...services].reverse()) await p.stop();
  };
  process.once('exit', () => services.forEach((p) => p.killNow()));

  try {
    const registries: ServiceProcess[] = [];
    for (let i = 1; i <= replicas; i++) {
      const name = `registry-${i}`;
      const [httpPort, grpcPort, opsPort] = [await freePort(), await freePort(), await freePort()];
      registries.push(
        processFor({
          name,
          service: 'registry',
          role: 'registry (seed API)',
          httpPort,
          grpcPort,
          opsPort,
          env: {
            REGISTRY_HOST: '127.0.0.1',
            REGISTRY_HTTP_PORT: String(httpPort),
            REGISTRY_GRPC_PORT: String(grpcPort),
            REGISTRY_OPS_PORT: String(opsPort),
            REGISTRY_DATA_DIR: path.join(dataDir, 'registry'),
            // Replicas share one schema: that is what makes them replicas of one registry.
            ...databaseEnv('REGISTRY_DATABASE_SCHEMA', 'registry'),
            REGISTRY_SWARM_MIN_SIZE: String(options.swarmMinSize ?? LOCAL_SIZES.min),
            REGISTRY_SWARM_TARGET_SIZE: String(options.swarmTargetSize ?? LOCAL_SIZES.target),
            REGISTRY_SWARM_MARGIN: String(options.swarmMargin ?? LOCAL_SIZES.margin),
            REGISTRY_HEARTBEAT_INTERVAL: '2s',
            REGISTRY_HEARTBEAT_TIMEOUT: '20s',
            ...(options.fastTimings ? FAST_REGISTRY_TIMINGS : {}),
            ...options.registryEnv,
          },
        }),
      );
    }
    // The first replica creates the schema and the signing key; the others then join it.
    await registries[0]!.start();
    await registries[0]!.waitReady(readyTimeout);
    await Promise.all(registries.slice(1).map((r) => r.start()));
    await Promise.all(registries.slice(1).map((r) => r.waitReady(readyTimeout)));
    log(`registry ready (${replicas} replica${replicas > 1 ? 's' : ''})`);

    const networkMap = async (registryIndex?: number) => {
      const target = registryIndex !== undefined ? registries[registryIndex] : registries.find((r) => r.running);
      if (!target?.grpcAddress) throw new Error('no registry replica is running');
      return fetchNetworkMap(target.grpcAddress);
    };
    const registryPubkey = (await networkMap(0)).registryPubkey;
    for (const r of registries) r.info.pubkey = registryPubkey;

    // The further services are laid out (ports, keys) before the storage nodes start, because
    // storage nodes are exits of onion paths too and must know which servers they may proxy to.
    const seedUrl = registries[0]!.httpUrl;
    const context: DevnetContext = {
      dataDir,
      seedUrl,
      registryGrpcAddress: registries[0]!.grpcAddress!,
      registryPubkey,
      databaseUrl: options.databaseUrl,
      redisUrl: options.redisUrl,
      freePort,
      databaseEnv,
    };
    const extras = (await options.extraServices?.(context)) ?? [];
    const proxyAllow = proxyAllowList(extras);

    const stores: ServiceProcess[] = [];
    const storeSpec = async (index: number, registryIndex: number): Promise<ServiceSpec> => {
      const name = `store-${index}`;
      const [httpPort, grpcPort, opsPort] = [await freePort(), await freePort(), await freePort()];
      return {
        name,
        service: 'swarm-store',
        role: 'storage node',
        httpPort,
        grpcPort,
        opsPort,
        tls: true,
        env: {
          SWARM_STORE_HOST: '127.0.0.1',
          SWARM_STORE_HTTP_PORT: String(httpPort),
          SWARM_STORE_GRPC_PORT: String(grpcPort),
          SWARM_STORE_OPS_PORT: String(opsPort),
          SWARM_STORE_DATA_DIR: path.join(dataDir, name),
          ...databaseEnv('SWARM_STORE_DB_SCHEMA', name),
          ...redisEnv,
          REGISTRY_GRPC_ADDRESS: registries[registryIndex]!.grpcAddress!,
          REGISTRY_PUBKEY: registryPubkey,
          ...(proxyAllow ? { SWARM_STORE_PROXY_ALLOW: proxyAllow } : {}),
          ...options.storeEnv,
        },
      };
    };
    /** Records the node's key and swarm, from the map, once the node shows up in it. */
    const describeStore = async (p: ServiceProcess) => {
      const deadline = Date.now() + readyTimeout;
      for (;;) {
        const entry = (await networkMap()).nodes.find((n) => n.grpcAddress === p.grpcAddress);
        if (entry) {
          p.info.pubkey = entry.pubkeyEd25519;
          p.info.swarm = entry.swarmId;
          return;
        }
        if (Date.now() > deadline) throw new Error(`${p.name} is ready but not in the network map`);
        await new Promise((r) => setTimeout(r, 200));
      }
    };
    const startStores = async (specs: ServiceSpec[]) => {
      const started = specs.map(processFor);
      await Promise.all(started.map((p) => p.start()));
      await Promise.all(started.map((p) => p.waitReady(readyTimeout)));
      await Promise.all(started.map(describeStore));
      stores.push(...started);
      return started;
    };
    const storeCount = options.storeNodes ?? 6;
    const specs: ServiceSpec[] = [];
    for (let i = 1; i <= storeCount; i++) specs.push(await storeSpec(i, 0));
    await startStores(specs);
    if (storeCount > 0) {
      // Swarms settle as nodes join; report what they are now.
      const map = await networkMap();
      for (const p of stores) p.info.swarm = map.nodes.find((n) => n.pubkeyEd25519 === p.info.pubkey)?.swarmId ?? '';
      log(`${storeCount} storage node${storeCount > 1 ? 's' : ''} ready`);
    }

    const extraProcesses = extras.map(processFor);
    for (const p of extraProcesses) await p.start();
    await Promise.all(extraProcesses.map((p) => p.waitReady(readyTimeout)));

    return {
      dataDir,
      seedUrl,
      registryPubkey,
      registries,
      stores,
      services,
      networkMap,
      async addStoreNode({ registryIndex = 0 } = {}) {
        const [p] = await startStores([await storeSpec(stores.length + 1, registryIndex)]);
        return p!;
      },
      stop,
      async discard() {
        await stop();
        rmSync(dataDir, { recursive: true, force: true });
        await dropDevnetSchemas(options.databaseUrl, schemaPrefix);
      },
    };
  } catch (err) {
    await stop();
    throw err;
  }
}
