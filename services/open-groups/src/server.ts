// Starts one community server: `startCommunityServer(config)` for main.ts, and
// `createCommunityServer(options)` for tests, the admin command line's tests and the local network.
import { toHex, type X25519KeyPair } from '@starling/crypto';
import { DATABASE, type Database, edgeLimits, lifecycleOptions, type Logger, type SharedState, startService, textReply } from '@starling/platform';
import { mkdirSync } from 'fs';
import { join } from 'path';
import { loadOpenGroupsConfig, type OpenGroupsConfig } from './config';
import { CleanupJobs } from './jobs/cleanup';
import { joinUrl } from './keys/server-key';
import { OpenGroupsModule, type OpenGroupsOverrides } from './open-groups.module';
import { RoomsModel } from './rooms/rooms.model';
import { MAX_BODY_BYTES, MIGRATIONS_DIR, SERVER_KEYS } from './settings';

export { MAX_BODY_BYTES, MIGRATIONS_DIR };

export interface CommunityServer {
  /** `http://host:port` */
  address: string;
  port: number;
  /** The port of /healthz, /readyz and /metrics. */
  opsPort: number;
  /** The server's X25519 public key, hex. */
  pubkey: string;
  keys: X25519KeyPair;
  db: Database;
  /** Join URLs by room token. */
  joinUrls(): Promise<Record<string, string>>;
  /** Runs every background job once (expiry, pruning, scheduled permission changes). */
  runJobs(): Promise<void>;
  /** Readiness fails, jobs stop, requests drain, storage the server opened closes. */
  close(): Promise<void>;
}

export interface StartOptions extends OpenGroupsOverrides {
  logger?: Logger;
}

export async function startCommunityServer(config: OpenGroupsConfig, options: StartOptions = {}): Promise<CommunityServer> {
  if (config.dataDir) mkdirSync(config.dataDir, { recursive: true });
  const { logger, ...overrides } = options;
  const service = await startService(
    {
      name: 'open-groups',
      logger,
      edge: {
        host: config.host,
        port: config.port,
        maxBodyBytes: MAX_BODY_BYTES,
        ...edgeLimits(config),
        // Methods SOGS does not use; every other request gets the dispatcher's own answers.
        notFound: () => textReply(404, 'Not found'),
        tooLarge: () => textReply(413, 'Request too large', { connection: 'close' }),
      },
      ...lifecycleOptions(config),
      ...(overrides.database
        ? {}
        : {
            database: {
              url: config.databaseUrl,
              schema: config.databaseSchema,
              dataDir: config.databaseUrl || !config.dataDir ? undefined : join(config.dataDir, 'db'),
              migrations: MIGRATIONS_DIR,
            },
          }),
      // Redis holds nonces shared by replicas; without it they live in the database (auth/nonces.ts).
      ...(overrides.sharedState || !config.redisUrl ? {} : { sharedState: { url: config.redisUrl, keyPrefix: 'open-groups:' } }),
    },
    OpenGroupsModule.forConfig(config, overrides),
  );
  const { app, host } = service;
  const keys = app.get<X25519KeyPair>(SERVER_KEYS, { strict: false });
  const db = app.get<Database>(DATABASE, { strict: false });
  const port = host.edge!.port;
  const address = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;
  return {
    address,
    port,
    opsPort: host.ops!.port,
    pubkey: toHex(keys.publicKey),
    keys,
    db,
    async joinUrls() {
      const rooms = await app.get(RoomsModel, { strict: false }).all(db);
      return Object.fromEntries(rooms.map((r) => [r.token, joinUrl(config.baseUrl ?? address, r.token, keys.publicKey)]));
    },
    runJobs: () => app.get(CleanupJobs, { strict: false }).runOnce(),
    close: service.close,
  };
}

export interface CommunityServerOptions extends StartOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  host?: string;
  /** The ops listener's port; 0 (default) picks a free one. */
  opsPort?: number;
  dataDir?: string;
  databaseUrl?: string;
  databaseSchema?: string;
  redisUrl?: string;
  /** Room tokens created at start when missing (default lobby). */
  rooms?: string[];
  baseUrl?: string;
  serverKeyHex?: string;
  requireBlinding?: boolean;
  fileExpiryDays?: number;
  maxFileBytes?: number;
  dmExpiryDays?: number;
  /** Milliseconds between cleanup runs; 0 (default) = do not schedule (tests call runJobs). */
  cleanupIntervalMs?: number;
  postRateLimit?: number;
  postRateWindowMs?: number;
  /** An open database (tests); closed by its owner, not by close(). */
  db?: Database;
  state?: SharedState;
}

/** The configuration's defaults with what `options` sets; the server starts on free ports by default. */
export function createCommunityServer(options: CommunityServerOptions = {}): Promise<CommunityServer> {
  const { db, state, now, logger, rooms, cleanupIntervalMs, postRateWindowMs, ...settings } = options;
  const defined = Object.fromEntries(Object.entries(settings).filter(([, v]) => v !== undefined)) as Partial<OpenGroupsConfig>;
  const config: OpenGroupsConfig = {
    ...loadOpenGroupsConfig({}),
    port: 0,
    opsPort: 0,
    ...defined,
    ...(rooms ? { rooms: rooms.join(',') } : {}),
    cleanupInterval: cleanupIntervalMs ?? 0,
    ...(postRateWindowMs !== undefined ? { postRateWindow: postRateWindowMs } : {}),
  };
  return startCommunityServer(config, { logger, now, database: db, sharedState: state });
}
