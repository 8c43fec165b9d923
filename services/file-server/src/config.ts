// Every setting of the file server, read from the environment once at start (platform loadConfig
// reports all problems together). Tests build the same object in code and pass it to
// createFileServer; inside the service it is the FILE_SERVER_CONFIG provider.
import * as path from 'path';
import { ConfigError, defineConfig, edgeConfig, lifecycleConfig, loadConfig, type EdgeLimitSettings } from '@starling/platform';
import { BadTurnUri, parseTurnUris, type TurnSettings } from './turn/turn-credentials';

export type BlobStoreMode = 'db' | 'folder';

export interface FileServerConfig {
  host: string;
  /** 0 picks a free port (tests, local network). */
  port: number;
  /** Holds the server key, the PGlite database (without DATABASE_URL) and the blob folder. */
  dataDir: string;
  /** postgres:// URL; PGlite in dataDir when absent. */
  databaseUrl?: string;
  /** PostgreSQL schema used as search_path (several services or tests sharing one database). */
  databaseSchema?: string;
  /** Where file bytes live: bytea rows (replicas share them) or files under dataDir/blobs. */
  blobStore: BlobStoreMode;
  /** Blob folder when blobStore is 'folder' (default dataDir/blobs); a shared volume for replicas. */
  blobDir?: string;
  /** Largest accepted upload, in bytes (clients send at most 10,000,000). */
  maxBytes: number;
  /** Lifetime of an upload without X-FS-TTL, in seconds. */
  defaultTtlSeconds: number;
  /** Bounds a requested X-FS-TTL is clamped into, in seconds. */
  minTtlSeconds: number;
  maxTtlSeconds: number;
  /** How often expired files are deleted, in milliseconds. */
  cleanupIntervalMs: number;
  /** 64 hex X25519 secret key (a Kubernetes Secret); else generated once into dataDir/key_x25519. */
  /** The server's Ed25519 seed (hex); else generated into the data folder. */
  ed25519SeedHex?: string;
  /** A server from before the Ed25519 identity: its X25519 secret key (hex). */
  x25519SecretKeyHex?: string;
  /** Public base URL printed at start and used by clients; default http://host:port. */
  publicUrl?: string;
  /** TURN credentials for calls (GET /turn/credentials); the route does not exist without it. */
  turn?: TurnSettings;
  /** Cluster-only port of /healthz, /readyz and /metrics (0 = any free port). */
  opsPort: number;
  /** On stop, requests are still served this long after readiness fails (ms). */
  drainDelay: number;
  /** Then requests in progress get this long to finish (ms). */
  shutdownGrace: number;
  /** Bounds of the public listener against slow and numerous clients; the defaults when absent. */
  edge?: EdgeLimitSettings;
}

/** The injection token of the file server's configuration. */
export const FILE_SERVER_CONFIG = Symbol('FileServerConfig');

const DAY = 86_400;

/**
 * A 10 MB upload from a slow client must not be cut off: the whole request may take as long as
 * Node's own default allows (what the file server always had), not the edge's 30 s. A client that
 * trickles is still cut off early by the edge's minimum transfer rate.
 */
export const FILE_REQUEST_TIMEOUT_MS = 300_000;

export const fileServerConfigSpec = defineConfig({
  host: { type: 'string', env: 'FILE_SERVER_HOST', default: '127.0.0.1', description: 'address to listen on' },
  port: { type: 'port', env: 'FILE_SERVER_PORT', default: 8400, description: 'HTTP port (0 = any free port)' },
  dataDir: { type: 'string', env: 'FILE_SERVER_DATA_DIR', default: './.data/file-server', description: 'folder for the server key, PGlite data and blobs' },
  databaseUrl: { type: 'url', env: 'DATABASE_URL', protocols: ['postgres', 'postgresql'], secret: true, description: 'PostgreSQL URL; embedded PGlite when unset' },
  databaseSchema: { type: 'string', env: 'FILE_SERVER_DB_SCHEMA', pattern: /^[a-z_][a-z0-9_]{0,62}$/, description: 'PostgreSQL schema to use as search_path' },
  blobStore: { type: 'enum', env: 'FILE_SERVER_BLOB_STORE', values: ['db', 'folder'] as const, description: 'where file bytes are kept (default: db with DATABASE_URL, folder with embedded PGlite)' },
  blobDir: { type: 'string', env: 'FILE_SERVER_BLOB_DIR', description: 'blob folder in folder mode (default <data dir>/blobs)' },
  // A 10,000,000-byte attachment (the clients' cap) grows by its encryption: 10,000,064 bytes in the
  // legacy scheme, 10,223,616 in the deterministic one. The server cap is on what it receives.
  maxBytes: { type: 'bytes', env: 'FILE_SERVER_MAX_BYTES', default: 10_223_616, min: 1, max: 100_000_000, description: 'largest upload in bytes (encrypted size)' },
  defaultTtl: { type: 'duration', env: 'FILE_SERVER_DEFAULT_TTL', default: 14 * DAY * 1000, min: 1000, description: 'lifetime of an upload without X-FS-TTL' },
  minTtl: { type: 'duration', env: 'FILE_SERVER_MIN_TTL', default: 30_000, min: 1000, description: 'shortest lifetime a client may ask for' },
  maxTtl: { type: 'duration', env: 'FILE_SERVER_MAX_TTL', default: 14 * DAY * 1000, min: 1000, description: 'longest lifetime a client may ask for' },
  cleanupInterval: { type: 'duration', env: 'FILE_SERVER_CLEANUP_INTERVAL', default: 15_000, min: 10, description: 'how often expired files are deleted' },
  ed25519Seed: { type: 'string', env: 'FILE_SERVER_KEY', pattern: /^[0-9a-fA-F]{64}$/, secret: true, description: "the server's Ed25519 seed as hex (its identity; attachment links carry the public key); else generated into the data dir" },
  x25519SecretKey: { type: 'string', env: 'FILE_SERVER_X25519_KEY', pattern: /^[0-9a-fA-F]{64}$/, secret: true, description: 'a server set up before its Ed25519 identity: its old X25519 secret key as hex, so the links it gave out keep working' },
  publicUrl: { type: 'url', env: 'FILE_SERVER_PUBLIC_URL', protocols: ['http', 'https'], description: 'URL clients use to reach this server' },
  turnSecret: { type: 'string', env: 'FILE_SERVER_TURN_SECRET', minLength: 16, secret: true, description: 'secret shared with the TURN server (coturn static-auth-secret); enables GET /turn/credentials' },
  turnUris: { type: 'string', env: 'FILE_SERVER_TURN_URIS', description: 'comma-separated turn:/turns: URIs given to clients with their credentials' },
  turnTtl: { type: 'duration', env: 'FILE_SERVER_TURN_TTL', default: 3_600_000, min: 60_000, max: 7 * DAY * 1000, description: 'how long a TURN credential stays valid' },
  ...lifecycleConfig('FILE_SERVER'),
  ...edgeConfig('FILE_SERVER', { requestTimeoutMs: FILE_REQUEST_TIMEOUT_MS }),
});

/** A setting that contradicts another; a ConfigError, so the process exits as for any bad setting. */
export class FileServerConfigError extends ConfigError {
  constructor(problem: string) {
    super([problem]);
    this.name = 'FileServerConfigError';
  }
}

/** Reads the environment; throws ConfigError (all problems at once) or FileServerConfigError. */
export function fileServerConfigFromEnv(env: Record<string, string | undefined> = process.env): FileServerConfig {
  const c = loadConfig(fileServerConfigSpec, env);
  return checkFileServerConfig({
    host: c.host,
    port: c.port,
    dataDir: path.resolve(c.dataDir),
    databaseUrl: c.databaseUrl,
    databaseSchema: c.databaseSchema,
    // Replicas share PostgreSQL, so bytes go there; embedded PGlite is slow with large bytea.
    blobStore: c.blobStore ?? (c.databaseUrl ? 'db' : 'folder'),
    blobDir: c.blobDir === undefined ? undefined : path.resolve(c.blobDir),
    maxBytes: c.maxBytes,
    defaultTtlSeconds: Math.round(c.defaultTtl / 1000),
    minTtlSeconds: Math.round(c.minTtl / 1000),
    maxTtlSeconds: Math.round(c.maxTtl / 1000),
    cleanupIntervalMs: c.cleanupInterval,
    ed25519SeedHex: c.ed25519Seed,
    x25519SecretKeyHex: c.x25519SecretKey,
    publicUrl: c.publicUrl,
    turn: turnSettings(c.turnSecret, c.turnUris, c.turnTtl),
    opsPort: c.opsPort,
    drainDelay: c.drainDelay,
    shutdownGrace: c.shutdownGrace,
    edge: { headersTimeout: c.headersTimeout, requestTimeout: c.requestTimeout, minTransferRate: c.minTransferRate, keepAliveTimeout: c.keepAliveTimeout, maxConnections: c.maxConnections },
  });
}

/** Both the secret and the URIs, or neither: half a TURN setup is a mistake, not a default. */
function turnSettings(secret: string | undefined, uris: string | undefined, ttlMs: number): TurnSettings | undefined {
  if (secret === undefined && uris === undefined) return undefined;
  if (secret === undefined || uris === undefined) {
    throw new FileServerConfigError('FILE_SERVER_TURN_SECRET and FILE_SERVER_TURN_URIS must be set together');
  }
  try {
    return { secret, uris: parseTurnUris(uris), ttlSeconds: Math.round(ttlMs / 1000) };
  } catch (err) {
    if (err instanceof BadTurnUri) throw new FileServerConfigError(`FILE_SERVER_TURN_URIS: ${err.message}`);
    throw err;
  }
}

/** Cross-field checks that a single variable's type cannot express. */
export function checkFileServerConfig(config: FileServerConfig): FileServerConfig {
  const { minTtlSeconds: min, maxTtlSeconds: max, defaultTtlSeconds: dflt } = config;
  if (!(Number.isInteger(min) && min >= 1)) throw new FileServerConfigError(`minimum TTL must be at least 1 s (got ${min})`);
  if (max < min) throw new FileServerConfigError(`maximum TTL ${max} s is below the minimum ${min} s`);
  if (dflt < min || dflt > max) throw new FileServerConfigError(`default TTL ${dflt} s is outside [${min}, ${max}] s`);
  if (!(Number.isInteger(config.maxBytes) && config.maxBytes >= 1)) throw new FileServerConfigError('maxBytes must be a positive integer');
  if (config.turn) {
    const { secret, uris, ttlSeconds } = config.turn;
    if (secret.length < 16) throw new FileServerConfigError('the TURN secret must be at least 16 characters');
    if (uris.length === 0) throw new FileServerConfigError('TURN needs at least one URI');
    if (!(Number.isInteger(ttlSeconds) && ttlSeconds >= 60)) throw new FileServerConfigError('the TURN credential lifetime must be at least 60 s');
  }
  return config;
}
