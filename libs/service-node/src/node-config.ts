// The settings every listed node has, relay or storage node, under the service's prefix, and how
// they become ServiceNodeOptions. One set of names for one set of things.
import { edgeConfig, edgeLimits, edgeTls, lifecycleOptions, tlsConfig, type ConfigSpec, type ConfigValues, type ServiceOptions } from '@starling/platform';
import { nodeNotFound } from './http/node-routes';
import type { common } from '@starling/proto';
import type { ServiceNodeOptions } from './options';

export function nodeConfig<const P extends string>(prefix: P) {
  return {
    host: { env: `${prefix}_HOST`, type: 'string', default: '127.0.0.1', description: 'address the public, gRPC and ops listeners bind to' },
    grpcPort: { env: `${prefix}_GRPC_PORT`, type: 'port', default: 22020, description: 'gRPC port for other nodes and the registry (0 = any free port)' },
    publicHost: { env: `${prefix}_PUBLIC_HOST`, type: 'string', description: 'address clients reach this node at, as published in the network map (default: the bind host)' },
    publicPort: { env: `${prefix}_PUBLIC_PORT`, type: 'port', description: 'port clients reach this node at (default: the public port as bound)' },
    grpcAdvertise: { env: `${prefix}_GRPC_ADVERTISE`, type: 'string', description: 'host:port other nodes reach this gRPC server at (default: host:grpcPort as bound)' },
    registryAddress: { env: 'REGISTRY_GRPC_ADDRESS', type: 'string', description: 'host:port of the registry gRPC server' },
    registryPubkey: { env: 'REGISTRY_PUBKEY', type: 'string', pattern: /^[0-9a-f]{64}$/, description: 'hex Ed25519 key the network map must be signed with (else the first signer is pinned)' },
    redisUrl: { env: 'REDIS_URL', type: 'url', protocols: ['redis', 'rediss'], secret: true, description: 'Redis for cluster-wide rate limits (in-process when absent)' },
    rateLimitSecret: {
      env: `${prefix}_RATE_LIMIT_SECRET`,
      type: 'string',
      secret: true,
      minLength: 16,
      description: 'key for hashing client addresses into rate-limit buckets; the same on every replica so buckets are shared (random per process when absent)',
    },
    bucketCapacity: { env: `${prefix}_BUCKET_CAPACITY`, type: 'int', min: 1, default: 600, description: 'requests a client may burst' },
    bucketRefillPerSecond: { env: `${prefix}_BUCKET_REFILL`, type: 'int', min: 1, default: 300, description: 'sustained requests per second per client' },
    maxInFlight: { env: `${prefix}_MAX_IN_FLIGHT`, type: 'int', min: 1, default: 512, description: 'client requests in progress before new ones are refused with 503' },
    hopTimeoutMs: { env: `${prefix}_HOP_TIMEOUT`, type: 'duration', min: 100, default: 30_000, description: 'deadline for the next hop of an onion path to answer' },
    proxyTimeoutMs: { env: `${prefix}_PROXY_TIMEOUT`, type: 'duration', min: 100, default: 25_000, description: 'deadline for a proxied HTTP server to answer (below the hop timeout)' },
    proxyMaxResponseBytes: { env: `${prefix}_PROXY_MAX_RESPONSE`, type: 'bytes', min: 1024, default: 12 * 1024 * 1024, description: 'largest proxied response passed back' },
    proxyAllow: {
      env: `${prefix}_PROXY_ALLOW`,
      type: 'string',
      default: '',
      description: 'comma-separated host:port list of HTTP servers this node may proxy to (file, community, push servers); "*" allows any',
    },
    ...tlsConfig(prefix),
    ...edgeConfig(prefix),
  } as const satisfies ConfigSpec;
}

export type NodeConfig = ConfigValues<ReturnType<typeof nodeConfig>>;

/** The largest onion request a client may POST (as upstream: 10 MiB). */
export const MAX_ONION_BYTES = 10 * 1024 * 1024;

export function serviceNodeOptions(config: NodeConfig, role: common.NodeRole, version: string): ServiceNodeOptions {
  return {
    role,
    version,
    registry: config.registryAddress ? { address: config.registryAddress, pubkey: config.registryPubkey } : undefined,
    grpc: { host: config.host, port: config.grpcPort, advertise: config.grpcAdvertise },
    publicHost: config.publicHost,
    publicPort: config.publicPort,
    admission: { capacity: config.bucketCapacity, refillPerSecond: config.bucketRefillPerSecond, maxInFlight: config.maxInFlight, secret: config.rateLimitSecret },
    hopTimeoutMs: config.hopTimeoutMs,
    proxy: { allow: config.proxyAllow, timeoutMs: config.proxyTimeoutMs, maxResponseBytes: config.proxyMaxResponseBytes },
    maxOnionBytes: MAX_ONION_BYTES,
  };
}

/** The settings a listed node's public edge and lifecycle come from (nodeConfig, lifecycleConfig and the service's own). */
export type NodeEdgeConfig = NodeConfig & { httpPort: number; dataDir: string; opsPort: number; drainDelay: number; shutdownGrace: number };

/** What every listed node runs with: HTTPS on its public port with upstream's 404s, the ops port, its stop. */
export async function nodeServiceOptions(config: NodeEdgeConfig, certificateName: string): Promise<Pick<ServiceOptions, 'edge' | 'ops' | 'drain'>> {
  return {
    edge: {
      host: config.host,
      port: config.httpPort,
      tls: await edgeTls(config, config.dataDir, certificateName),
      maxBodyBytes: MAX_ONION_BYTES,
      ...edgeLimits(config),
      notFound: nodeNotFound,
      methodNotAllowed: nodeNotFound,
    },
    ...lifecycleOptions(config),
  };
}
