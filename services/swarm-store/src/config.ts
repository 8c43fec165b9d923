// Every setting of a storage node, read from the environment once at start (platform loadConfig).
// The devnet launcher and the Helm chart set these names; keep them stable.
import { ConfigError, defineConfig, lifecycleConfig, loadConfig, type ConfigValues } from '@starling/platform';
import { nodeConfig } from '@starling/service-node';
import { publicAddressOf } from './public-address';

export const swarmStoreConfigSpec = defineConfig({
  ...nodeConfig('SWARM_STORE'),
  httpPort: { env: 'SWARM_STORE_HTTP_PORT', type: 'port', default: 22021, description: 'public port: /storage_rpc/v1, /onion_req/v2, /ping_test/v1 (0 = any free port)' },
  dataDir: { env: 'SWARM_STORE_DATA_DIR', type: 'string', default: './data/swarm-store', description: 'Folder for the node identity key and (without DATABASE_URL) the PGlite database' },
  databaseUrl: { env: 'DATABASE_URL', type: 'url', protocols: ['postgres', 'postgresql'], secret: true, description: 'PostgreSQL server; PGlite in the data folder when unset' },
  dbSchema: { env: 'SWARM_STORE_DB_SCHEMA', type: 'string', pattern: /^[a-z_][a-z0-9_]{0,62}$/, description: 'PostgreSQL schema of this node (several nodes may share one database); default derived from the node key' },
  dbPoolSize: { env: 'SWARM_STORE_DB_POOL_SIZE', type: 'int', min: 1, max: 100, default: 10, description: 'pg connection pool size' },
  registryAddress: { env: 'REGISTRY_GRPC_ADDRESS', type: 'string', description: 'host:port of the registry gRPC server; without it the node runs alone as a one-node swarm (development)' },
  maxStorageBytes: { env: 'SWARM_STORE_MAX_STORAGE', type: 'bytes', min: 1, default: 10 * 1024 ** 3, description: 'Node size cap: total message bytes held; stores beyond it fail with 507' },
  accountQuotaBytes: { env: 'SWARM_STORE_ACCOUNT_QUOTA', type: 'bytes', min: 1, default: 100 * 1024 ** 2, description: 'Per-account quota of message bytes; stores beyond it fail with 413' },
  expirySweepInterval: { env: 'SWARM_STORE_EXPIRY_SWEEP_INTERVAL', type: 'duration', min: 100, max: 10_000, default: 5_000, description: 'How often expired messages are deleted (at most 10 s, as upstream)' },
  forwardTimeout: { env: 'SWARM_STORE_FORWARD_TIMEOUT', type: 'duration', min: 100, default: 5_000, description: 'Deadline of a recursive request forwarded to a swarm peer' },
  retryInterval: { env: 'SWARM_STORE_RETRY_INTERVAL', type: 'duration', min: 100, default: 2_000, description: 'How often queued replication to unreachable peers is retried' },
  handoverGrace: { env: 'SWARM_STORE_HANDOVER_GRACE', type: 'duration', min: 0, default: 10 * 60_000, description: 'How long messages of accounts that left this swarm are kept after being handed over' },
  groupCommitDelay: { env: 'SWARM_STORE_GROUP_COMMIT_DELAY', type: 'duration', min: 0, max: 100, default: 0, description: 'Extra time an idle node waits to collect stores into one INSERT (0: those of one event-loop turn; under load, stores queue behind commits in flight anyway)' },
  groupCommitConcurrency: { env: 'SWARM_STORE_GROUP_COMMIT_CONCURRENCY', type: 'int', min: 1, max: 100, default: 2, description: 'Group commits in flight at once; stores arriving meanwhile form the next one' },
  groupCommitMaxRows: { env: 'SWARM_STORE_GROUP_COMMIT_MAX_ROWS', type: 'int', min: 1, max: 10_000, default: 200, description: 'Rows after which a group commit is flushed at once' },
  publicAddresses: {
    env: 'SWARM_STORE_PUBLIC_ADDRESSES',
    type: 'string',
    description: 'comma-separated host[:port] of every node of a StatefulSet, in ordinal order; this node publishes entry SWARM_STORE_NODE_INDEX (instead of SWARM_STORE_PUBLIC_HOST/PUBLIC_PORT)',
  },
  nodeIndex: { env: 'SWARM_STORE_NODE_INDEX', type: 'int', min: 0, description: 'this node\'s entry in SWARM_STORE_PUBLIC_ADDRESSES (the StatefulSet pod ordinal)' },
  ...lifecycleConfig('SWARM_STORE'),
});

export type SwarmStoreConfig = ConfigValues<typeof swarmStoreConfigSpec>;

export function loadSwarmStoreConfig(env: Record<string, string | undefined> = process.env): SwarmStoreConfig {
  const config = loadConfig(swarmStoreConfigSpec, env);
  if (config.publicAddresses === undefined) return config;
  if (config.publicHost !== undefined || config.publicPort !== undefined) {
    throw new ConfigError(['set SWARM_STORE_PUBLIC_ADDRESSES or SWARM_STORE_PUBLIC_HOST/SWARM_STORE_PUBLIC_PORT, not both']);
  }
  const own = publicAddressOf(config.publicAddresses, config.nodeIndex);
  return { ...config, publicHost: own.host, publicPort: own.port };
}
