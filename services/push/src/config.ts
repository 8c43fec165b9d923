// Every setting of the push service, from the environment (PUSH_*; provider keys come from
// operator Secrets). loadConfig reports all problems at once; checkPushConfig adds the rules one
// variable cannot express (a provider is configured completely or not at all).
import { readFileSync } from 'fs';
import * as path from 'path';
import { ConfigError, defineConfig, edgeConfig, lifecycleConfig, loadConfig, type EdgeLimitSettings } from '@starling/platform';
import { APNS_PRODUCTION } from './delivery/apns';
import { FCM_ENDPOINT } from './delivery/fcm';
import { parseServiceAccount, ServiceAccountError, type ServiceAccount } from './delivery/google-oauth';

export interface ApnsSettings {
  keyPem: string;
  keyId: string;
  teamId: string;
  topic: string;
  origin: string;
  ca?: string;
}

export interface PushConfig {
  host: string;
  /** 0 picks a free port (tests, local network). */
  port: number;
  dataDir: string;
  databaseUrl?: string;
  databaseSchema?: string;
  redisUrl?: string;
  /** 64 hex Ed25519 seed of the server's identity (its onion X25519 key derives from it); else generated into dataDir. */
  keyHex?: string;
  /** Public base URL printed at start (clients use it with the key); default http://host:port. */
  publicUrl?: string;
  /** host:port of the registry's gRPC server: the network map tells where subscribers' swarms are. */
  registryAddress: string;
  /** Hex Ed25519 key the network map must be signed with (else the first signer is pinned). */
  registryPubkey?: string;
  /** How often every stored account is checked against the watched ones (other replicas' subscriptions). */
  rescanIntervalMs: number;
  unifiedPush?: { allowPrivateAddresses: boolean };
  fcm?: { account: ServiceAccount; endpoint: string };
  apns?: ApnsSettings;
  delivery: {
    concurrency: number;
    maxQueued: number;
    maxAttempts: number;
    baseBackoffMs: number;
    maxBackoffMs: number;
    timeoutMs: number;
  };
  /** How long a (device, message) pair is remembered against duplicates from other swarm members. */
  dedupWindowMs: number;
  /** Cluster-only port of /healthz, /readyz and /metrics (0 = any free port). */
  opsPort: number;
  /** On stop, requests are still served this long after readiness fails (ms). */
  drainDelay: number;
  /** Then requests in progress get this long to finish (ms). */
  shutdownGrace: number;
  /** Bounds of the public listener against slow and numerous clients; the defaults when absent. */
  edge?: EdgeLimitSettings;
}

/** The injection token of the push service's configuration. */
export const PUSH_SETTINGS = Symbol('PushConfig');

export const PUSH_CONFIG = defineConfig({
  host: { type: 'string', env: 'PUSH_HOST', default: '127.0.0.1', description: 'address to listen on' },
  port: { type: 'port', env: 'PUSH_PORT', default: 8500, description: 'HTTP port (0 = any free port)' },
  dataDir: { type: 'string', env: 'PUSH_DATA_DIR', default: './.data/push', description: 'folder for the server key and PGlite data' },
  databaseUrl: { type: 'url', env: 'DATABASE_URL', protocols: ['postgres', 'postgresql'], secret: true, description: 'PostgreSQL URL; embedded PGlite when unset' },
  databaseSchema: { type: 'string', env: 'PUSH_DB_SCHEMA', pattern: /^[a-z_][a-z0-9_]{0,62}$/, description: 'PostgreSQL schema to use as search_path' },
  redisUrl: { type: 'url', env: 'REDIS_URL', protocols: ['redis', 'rediss'], secret: true, description: 'Redis shared by replicas (duplicate filter); in-process when unset' },
  key: { type: 'string', env: 'PUSH_KEY', pattern: /^[0-9a-fA-F]{64}$/, secret: true, description: 'server identity as a 64 hex Ed25519 seed; the onion X25519 key derives from it (else generated into the data dir)' },
  publicUrl: { type: 'url', env: 'PUSH_PUBLIC_URL', protocols: ['http', 'https'], description: 'URL clients use to reach this server (printed at start)' },
  registryAddress: { type: 'string', env: 'REGISTRY_GRPC_ADDRESS', required: true, description: 'host:port of the registry gRPC server (the network map)' },
  registryPubkey: { type: 'string', env: 'REGISTRY_PUBKEY', pattern: /^[0-9a-f]{64}$/, description: 'hex Ed25519 key the network map must be signed with (else the first signer is pinned)' },
  rescanInterval: { type: 'duration', env: 'PUSH_RESCAN_INTERVAL', min: 1000, default: 60_000, description: 'how often the stored accounts are compared with the watched ones (subscriptions taken by other replicas)' },
  unifiedPush: { type: 'bool', env: 'PUSH_UNIFIEDPUSH', default: true, description: 'offer the unifiedpush service (HTTP POST to the subscriber endpoint)' },
  unifiedPushAllowPrivate: { type: 'bool', env: 'PUSH_UNIFIEDPUSH_ALLOW_PRIVATE', default: false, description: 'allow endpoints on loopback/private addresses (local networks only)' },
  fcmServiceAccount: { type: 'string', env: 'PUSH_FCM_SERVICE_ACCOUNT', secret: true, description: 'Firebase service account JSON (enables the firebase service)' },
  fcmServiceAccountFile: { type: 'string', env: 'PUSH_FCM_SERVICE_ACCOUNT_FILE', description: 'file holding the Firebase service account JSON' },
  fcmEndpoint: { type: 'url', env: 'PUSH_FCM_ENDPOINT', protocols: ['https', 'http'], default: FCM_ENDPOINT, description: 'FCM API base URL' },
  apnsKey: { type: 'string', env: 'PUSH_APNS_KEY', secret: true, description: 'APNs token signing key (.p8 PEM text; enables the apns service)' },
  apnsKeyFile: { type: 'string', env: 'PUSH_APNS_KEY_FILE', description: 'file holding the APNs .p8 key' },
  apnsKeyId: { type: 'string', env: 'PUSH_APNS_KEY_ID', pattern: /^[A-Z0-9]{10}$/, description: 'APNs key id (10 characters)' },
  apnsTeamId: { type: 'string', env: 'PUSH_APNS_TEAM_ID', pattern: /^[A-Z0-9]{10}$/, description: 'Apple developer team id (10 characters)' },
  apnsTopic: { type: 'string', env: 'PUSH_APNS_TOPIC', description: "the app's bundle id" },
  apnsOrigin: { type: 'url', env: 'PUSH_APNS_ORIGIN', protocols: ['https'], default: APNS_PRODUCTION, description: 'APNs origin (production, sandbox, or a test server)' },
  apnsCaFile: { type: 'string', env: 'PUSH_APNS_CA_FILE', description: 'extra CA certificate (PEM) to trust for the APNs origin' },
  deliveryConcurrency: { type: 'int', env: 'PUSH_DELIVERY_CONCURRENCY', min: 1, max: 10_000, default: 64, description: 'delivery attempts in flight per process' },
  deliveryQueue: { type: 'int', env: 'PUSH_DELIVERY_QUEUE', min: 1, default: 100_000, description: 'notices waiting per process before new ones are dropped' },
  deliveryAttempts: { type: 'int', env: 'PUSH_DELIVERY_ATTEMPTS', min: 1, max: 20, default: 5, description: 'attempts per notice on retryable failures' },
  deliveryBackoff: { type: 'duration', env: 'PUSH_DELIVERY_BACKOFF', min: 1, default: 1000, description: 'first retry delay (doubles per attempt)' },
  deliveryMaxBackoff: { type: 'duration', env: 'PUSH_DELIVERY_MAX_BACKOFF', min: 1, default: 60_000, description: 'longest retry delay' },
  deliveryTimeout: { type: 'duration', env: 'PUSH_DELIVERY_TIMEOUT', min: 100, default: 10_000, description: 'time limit of one delivery attempt' },
  dedupWindow: { type: 'duration', env: 'PUSH_DEDUP_WINDOW', min: 1000, default: 600_000, description: 'how long a delivered (device, message) is remembered' },
  ...lifecycleConfig('PUSH'),
  ...edgeConfig('PUSH'),
});

/** A setting that contradicts another; a ConfigError, so the process exits as for any bad setting. */
export class PushConfigError extends ConfigError {
  constructor(problem: string) {
    super([problem]);
    this.name = 'PushConfigError';
  }
}

/** Reads the environment; throws ConfigError (all variable problems) or PushConfigError. */
export function pushConfigFromEnv(env: Record<string, string | undefined> = process.env): PushConfig {
  const c = loadConfig(PUSH_CONFIG, env);
  const fcmJson = secretText('PUSH_FCM_SERVICE_ACCOUNT', c.fcmServiceAccount, c.fcmServiceAccountFile);
  const apnsKey = secretText('PUSH_APNS_KEY', c.apnsKey, c.apnsKeyFile);
  return checkPushConfig({
    host: c.host,
    port: c.port,
    dataDir: path.resolve(c.dataDir),
    databaseUrl: c.databaseUrl,
    databaseSchema: c.databaseSchema,
    redisUrl: c.redisUrl,
    keyHex: c.key,
    publicUrl: c.publicUrl,
    registryAddress: c.registryAddress,
    registryPubkey: c.registryPubkey,
    rescanIntervalMs: c.rescanInterval,
    ...(c.unifiedPush ? { unifiedPush: { allowPrivateAddresses: c.unifiedPushAllowPrivate } } : {}),
    ...(fcmJson === undefined ? {} : { fcm: { account: serviceAccount(fcmJson), endpoint: c.fcmEndpoint } }),
    ...apnsSettings(apnsKey, c.apnsKeyId, c.apnsTeamId, c.apnsTopic, c.apnsOrigin, c.apnsCaFile),
    delivery: {
      concurrency: c.deliveryConcurrency,
      maxQueued: c.deliveryQueue,
      maxAttempts: c.deliveryAttempts,
      baseBackoffMs: c.deliveryBackoff,
      maxBackoffMs: c.deliveryMaxBackoff,
      timeoutMs: c.deliveryTimeout,
    },
    dedupWindowMs: c.dedupWindow,
    opsPort: c.opsPort,
    drainDelay: c.drainDelay,
    shutdownGrace: c.shutdownGrace,
    edge: { headersTimeout: c.headersTimeout, requestTimeout: c.requestTimeout, minTransferRate: c.minTransferRate, keepAliveTimeout: c.keepAliveTimeout, maxConnections: c.maxConnections },
  });
}

/** Cross-field rules. */
export function checkPushConfig(config: PushConfig): PushConfig {
  if (!config.unifiedPush && !config.fcm && !config.apns) {
    throw new PushConfigError('no delivery service: enable PUSH_UNIFIEDPUSH or configure FCM or APNs');
  }
  if (config.delivery.maxBackoffMs < config.delivery.baseBackoffMs) {
    throw new PushConfigError('PUSH_DELIVERY_MAX_BACKOFF is shorter than PUSH_DELIVERY_BACKOFF');
  }
  return config;
}

/** A secret given inline or as a file (a mounted Secret), not both. */
function secretText(name: string, inline: string | undefined, file: string | undefined): string | undefined {
  if (inline !== undefined && file !== undefined) throw new PushConfigError(`set ${name} or ${name}_FILE, not both`);
  if (file === undefined) return inline;
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    throw new PushConfigError(`${name}_FILE: cannot read ${file} (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
  }
}

function serviceAccount(json: string): ServiceAccount {
  try {
    return parseServiceAccount(json);
  } catch (err) {
    if (err instanceof ServiceAccountError) throw new PushConfigError(`PUSH_FCM_SERVICE_ACCOUNT: ${err.message}`);
    throw err;
  }
}

function apnsSettings(
  keyPem: string | undefined,
  keyId: string | undefined,
  teamId: string | undefined,
  topic: string | undefined,
  origin: string,
  caFile: string | undefined,
): { apns?: ApnsSettings } {
  const given = [keyPem, keyId, teamId, topic].filter((v) => v !== undefined).length;
  if (given === 0) return {};
  if (given !== 4) throw new PushConfigError('APNs needs PUSH_APNS_KEY (or _FILE), PUSH_APNS_KEY_ID, PUSH_APNS_TEAM_ID and PUSH_APNS_TOPIC together');
  const ca = caFile === undefined ? undefined : secretText('PUSH_APNS_CA', undefined, caFile);
  return { apns: { keyPem: keyPem!, keyId: keyId!, teamId: teamId!, topic: topic!, origin, ...(ca ? { ca } : {}) } };
}
