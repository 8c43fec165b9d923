import { defineConfig, lifecycleConfig, loadConfig, ConfigValues } from '@starling/platform';

export const relayConfigSpec = defineConfig({
  host: { env: 'ENTRY_RELAY_HOST', type: 'string', default: '127.0.0.1', description: 'address the HTTP and gRPC servers bind to' },
  httpPort: { env: 'ENTRY_RELAY_HTTP_PORT', type: 'port', default: 22021, description: 'public port (/onion_req/v2, /storage_rpc/v1, /ping_test/v1)' },
  grpcPort: { env: 'ENTRY_RELAY_GRPC_PORT', type: 'port', default: 22031, description: 'gRPC port other relays forward onion layers to' },
  publicHost: { env: 'ENTRY_RELAY_PUBLIC_HOST', type: 'string', description: 'address clients reach this relay at, as published in the network map (default: the bind host)' },
  publicPort: { env: 'ENTRY_RELAY_PUBLIC_PORT', type: 'port', description: 'port clients reach this relay at (default: the HTTP port)' },
  advertisedGrpcAddress: { env: 'ENTRY_RELAY_GRPC_ADVERTISE', type: 'string', description: 'host:port other relays use to reach this gRPC server (default: host:grpcPort)' },
  dataDir: { env: 'ENTRY_RELAY_DATA_DIR', type: 'string', default: '.data/entry-relay', description: 'folder holding the relay key (unless ENTRY_RELAY_KEY is set)' },
  keyHex: { env: 'ENTRY_RELAY_KEY', type: 'string', secret: true, description: 'the relay identity seed as 64 hex characters (a Kubernetes Secret shared by one relay group)' },
  registryAddress: { env: 'REGISTRY_GRPC_ADDRESS', type: 'string', required: true, description: 'host:port of the registry gRPC server' },
  registryPubkey: { env: 'REGISTRY_PUBKEY', type: 'string', description: 'hex Ed25519 key of the registry; pins the network map signer' },
  redisUrl: { env: 'REDIS_URL', type: 'url', protocols: ['redis', 'rediss'], secret: true, description: 'Redis for cluster-wide rate limits (in-process when absent)' },
  rateLimitSecret: { env: 'ENTRY_RELAY_RATE_LIMIT_SECRET', type: 'string', secret: true, minLength: 16, description: 'key for hashing client addresses into rate-limit buckets; the same on every replica so buckets are shared (random per process when absent)' },
  bucketCapacity: { env: 'ENTRY_RELAY_BUCKET_CAPACITY', type: 'int', min: 1, default: 600, description: 'requests a client may burst' },
  bucketRefillPerSecond: { env: 'ENTRY_RELAY_BUCKET_REFILL', type: 'int', min: 1, default: 300, description: 'sustained requests per second per client' },
  maxInFlight: { env: 'ENTRY_RELAY_MAX_IN_FLIGHT', type: 'int', min: 1, default: 512, description: 'onion requests in progress before new ones are refused with 503' },
  hopTimeoutMs: { env: 'ENTRY_RELAY_HOP_TIMEOUT', type: 'duration', min: 100, default: 30_000, description: 'deadline for the next hop to answer' },
  proxyTimeoutMs: { env: 'ENTRY_RELAY_PROXY_TIMEOUT', type: 'duration', min: 100, default: 25_000, description: 'deadline for a proxied HTTP server to answer (below the hop timeout)' },
  proxyMaxResponseBytes: { env: 'ENTRY_RELAY_PROXY_MAX_RESPONSE', type: 'bytes', min: 1024, default: 12 * 1024 * 1024, description: 'largest proxied response passed back' },
  proxyAllow: { env: 'ENTRY_RELAY_PROXY_ALLOW', type: 'string', default: '', description: 'comma-separated host:port list of HTTP servers this relay may proxy to (file servers, community servers); "*" allows any' },
  ...lifecycleConfig('ENTRY_RELAY'),
});

export type RelayConfig = ConfigValues<typeof relayConfigSpec>;

export function loadRelayConfig(env: Record<string, string | undefined> = process.env): RelayConfig {
  return loadConfig(relayConfigSpec, env);
}
