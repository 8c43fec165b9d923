// Every setting of the registry, read once at start from the environment.
import { ConfigError, defineConfig, edgeConfig, lifecycleConfig, loadConfig, type ConfigValues } from '@starling/platform';

export const registryConfigSpec = defineConfig({
  host: { env: 'REGISTRY_HOST', type: 'string', default: '127.0.0.1', description: 'Address the HTTP and gRPC servers listen on' },
  httpPort: { env: 'REGISTRY_HTTP_PORT', type: 'port', default: 22029, description: 'Seed API (POST /json_rpc); 0 picks a free port' },
  grpcPort: { env: 'REGISTRY_GRPC_PORT', type: 'port', default: 22030, description: 'RegistryService for nodes; 0 picks a free port' },
  dataDir: { env: 'REGISTRY_DATA_DIR', type: 'string', default: './.data/registry', description: 'Folder of the embedded database (PGlite) when DATABASE_URL is not set' },
  databaseUrl: { env: 'DATABASE_URL', type: 'url', protocols: ['postgres', 'postgresql'], secret: true, description: 'PostgreSQL server; without it an embedded PGlite database in REGISTRY_DATA_DIR (one replica only)' },
  databaseSchema: { env: 'REGISTRY_DATABASE_SCHEMA', type: 'string', pattern: /^[a-z_][a-z0-9_]{0,62}$/, description: 'PostgreSQL schema for the registry tables (several networks in one database)' },
  swarmMinSize: { env: 'REGISTRY_SWARM_MIN_SIZE', type: 'int', min: 1, default: 5, description: 'Swarms below this size take members from others or are dissolved (upstream 5)' },
  swarmTargetSize: { env: 'REGISTRY_SWARM_TARGET_SIZE', type: 'int', min: 1, default: 7, description: 'Size of a newly formed swarm (upstream 7)' },
  swarmMargin: { env: 'REGISTRY_SWARM_MARGIN', type: 'int', min: 0, default: 2, description: 'Extra excess per swarm before a new swarm is split off (upstream 2)' },
  epochIntervalMs: { env: 'REGISTRY_EPOCH_INTERVAL', type: 'duration', min: 10, default: 250, description: 'How often the leader recomputes swarms and publishes a new map when something changed' },
  mapPollIntervalMs: { env: 'REGISTRY_MAP_POLL_INTERVAL', type: 'duration', min: 10, default: 250, description: 'How often every replica looks for a newer map version in the database' },
  leaderPollIntervalMs: { env: 'REGISTRY_LEADER_POLL_INTERVAL', type: 'duration', min: 10, default: 1000, description: 'How often a follower tries to become leader' },
  heartbeatIntervalMs: { env: 'REGISTRY_HEARTBEAT_INTERVAL', type: 'duration', min: 10, default: 10_000, description: 'Heartbeat period the registry asks nodes to keep' },
  heartbeatTimeoutMs: { env: 'REGISTRY_HEARTBEAT_TIMEOUT', type: 'duration', min: 10, default: 60_000, description: 'A node silent for this long leaves the map and must announce again' },
  clockWindowMs: { env: 'REGISTRY_CLOCK_WINDOW', type: 'duration', min: 1000, default: 60_000, description: 'Signed timestamps further than this from the registry clock are refused' },
  testIntervalMs: { env: 'REGISTRY_TEST_INTERVAL', type: 'duration', min: 10, default: 10_000, description: 'Mean time between reachability tests of one node (upstream 10 s)' },
  testJitterMs: { env: 'REGISTRY_TEST_JITTER', type: 'duration', min: 0, default: 3_000, description: 'Standard deviation of the test interval (upstream 3 s)' },
  testBackoffMs: { env: 'REGISTRY_TEST_BACKOFF', type: 'duration', min: 0, default: 10_000, description: 'Added per previous failure before a failing node is tested again (upstream 10 s)' },
  testMaxIntervalMs: { env: 'REGISTRY_TEST_MAX_INTERVAL', type: 'duration', min: 10, default: 120_000, description: 'Cap of the retest interval (upstream 2 min)' },
  testTimeoutMs: { env: 'REGISTRY_TEST_TIMEOUT', type: 'duration', min: 10, default: 5_000, description: 'Deadline of one reachability Ping' },
  testTickMs: { env: 'REGISTRY_TEST_TICK', type: 'duration', min: 10, default: 200, description: 'How often due tests are started' },
  testsPerTick: { env: 'REGISTRY_TESTS_PER_TICK', type: 'int', min: 1, default: 4, description: 'At most this many tests start per tick (upstream 4)' },
  maxTestFailures: { env: 'REGISTRY_MAX_TEST_FAILURES', type: 'int', min: 1, default: 3, description: 'Consecutive failed tests that take a node out of the map' },
  ...lifecycleConfig('REGISTRY'),
  ...edgeConfig('REGISTRY'),
});

export type RegistryConfig = ConfigValues<typeof registryConfigSpec>;

/** Injection token of the replica's RegistryConfig. */
export const REGISTRY_CONFIG = Symbol('RegistryConfig');

/**
 * The nodes' settings under the registry's own prefix (libs/service-node node-config.ts): an
 * environment shared with nodes may hold them, and the registry ignores them rather than refusing them.
 */
const READ_BY_NODES = ['REGISTRY_GRPC_ADDRESS', 'REGISTRY_PUBKEY'];

export function loadRegistryConfig(env: Record<string, string | undefined> = process.env): RegistryConfig {
  const config = loadConfig(registryConfigSpec, env, { othersRead: READ_BY_NODES });
  if (config.swarmTargetSize < config.swarmMinSize) {
    throw new ConfigError(['REGISTRY_SWARM_TARGET_SIZE must be at least REGISTRY_SWARM_MIN_SIZE']);
  }
  return config;
}
