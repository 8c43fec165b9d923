// createCommunityServer: opens storage, applies migrations, builds the route table and listens.
// Used by main.ts, by tests and by the local-network launcher.
import 'reflect-metadata';
import { ready, toHex, type X25519KeyPair } from '@starling/crypto';
import {
  createLogger,
  createMetrics,
  frontServerFactory,
  HealthChecks,
  migrate,
  mountOpsRoutes,
  openDatabase,
  openSharedState,
  type Database,
  type Logger,
  type SharedState,
} from '@starling/platform';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { mkdirSync } from 'fs';
import { join } from 'path';
import { AppModule } from './app.module';
import { Authenticator } from './auth/authenticator';
import { batchRoutes } from './batch/batch.routes';
import { nowSeconds } from './clock';
import { Coalescer } from './coalescer';
import type { AppContext, ServerSettings } from './context';
import { Dispatcher } from './http/dispatcher';
import { Router } from './http/router';
import { withSogsRoutes } from './http/sogs-listener';
import { CleanupJobs } from './jobs/cleanup';
import { joinUrl, serverKeyPair } from './keys/server-key';
import { MessagesService } from './messages/messages.service';
import { messageRoutes } from './messages/messages.routes';
import { OnionHandler } from './onion/onion.handler';
import { OpenGroupsMetrics } from './ops/metrics';
import { PlainTextErrorsFilter } from './ops/plain-errors.filter';
import { capabilityRoutes } from './rooms/capabilities.routes';
import { roomRoutes } from './rooms/rooms.routes';
import { RoomsService, type CallerRoomKey } from './rooms/rooms.service';
import { UsersService } from './users/users.service';
import { reactionRoutes } from './reactions/reactions.routes';
import { pinRoutes } from './pins/pins.routes';
import { fileRoutes } from './files/files.routes';
import { moderationRoutes } from './moderation/moderation.routes';
import { permissionRoutes } from './moderation/permissions.routes';
import { dmRoutes } from './dms/dms.routes';

export const MIGRATIONS_DIR = join(__dirname, '..', 'migrations');
/** Largest request body: the onion request cap of clients and relays (10 MiB). */
export const MAX_BODY_BYTES = 10 * 1024 * 1024;

export interface CommunityServerOptions {
  port?: number;
  host?: string;
  dataDir?: string;
  databaseUrl?: string;
  databaseSchema?: string;
  redisUrl?: string;
  /** Room tokens created at start when missing. */
  rooms?: string[];
  baseUrl?: string;
  serverKeyHex?: string;
  requireBlinding?: boolean;
  fileExpiryDays?: number;
  maxFileBytes?: number;
  dmExpiryDays?: number;
  /** Milliseconds between cleanup runs; 0 = do not schedule (tests call runJobs). */
  cleanupIntervalMs?: number;
  /** Already-open storage (tests); closed by close() only when the server opened it. */
  db?: Database;
  state?: SharedState;
  /** Clock in float unix seconds (tests move time). */
  now?: () => number;
  logger?: Logger;
}

export interface CommunityServer {
  /** `http://host:port` */
  address: string;
  port: number;
  /** The server's X25519 public key, hex. */
  pubkey: string;
  keys: X25519KeyPair;
  db: Database;
  /** Join URLs by room token. */
  joinUrls(): Promise<Record<string, string>>;
  /** Runs every background job once (expiry, pruning, scheduled permission changes). */
  runJobs(): Promise<void>;
  close(): Promise<void>;
}

const DAY = 86400;

export async function createCommunityServer(options: CommunityServerOptions = {}): Promise<CommunityServer> {
  await ready();
  const logger = options.logger ?? createLogger('open-groups');
  const now = options.now ?? nowSeconds;
  if (options.dataDir) mkdirSync(options.dataDir, { recursive: true });
  // Before storage is opened: a bad configured key must not leave a database or store open.
  const keys = serverKeyPair({ secretHex: options.serverKeyHex, dataDir: options.dataDir });
  const ownsDb = !options.db;
  const db =
    options.db ??
    (await openDatabase({
      url: options.databaseUrl,
      schema: options.databaseSchema,
      dataDir: options.databaseUrl || !options.dataDir ? undefined : join(options.dataDir, 'db'),
    }));
  const ownsState = !options.state;
  const state = options.state ?? (await openSharedState({ url: options.redisUrl, keyPrefix: 'open-groups:' }));
  await migrate(db, MIGRATIONS_DIR);

  const requireBlinding = options.requireBlinding ?? true;
  const settings: ServerSettings = {
    requireBlinding,
    fileExpirySeconds: (options.fileExpiryDays ?? 15) * DAY,
    uploadClaimSeconds: 3600,
    maxFileBytes: options.maxFileBytes ?? 10_000_000,
    dmExpirySeconds: (options.dmExpiryDays ?? 15) * DAY,
    activeUsersCutoffSeconds: 7 * DAY,
  };
  const serviceMetrics = createMetrics('open-groups');
  const metrics = new OpenGroupsMetrics(serviceMetrics, db);
  const users = new UsersService(keys.publicKey, requireBlinding);
  const ctx: AppContext = {
    db,
    state,
    settings,
    serverPk: keys.publicKey,
    rooms: new RoomsService({ activeUsersCutoffSeconds: settings.activeUsersCutoffSeconds }),
    users,
    messages: new MessagesService(db, {
      rateLimitPosts: 5,
      rateLimitWindowSeconds: 16,
      fileExpirySeconds: settings.fileExpirySeconds,
      uploadClaimSeconds: settings.uploadClaimSeconds,
    }),
    metrics,
    now,
  };

  for (const token of options.rooms ?? ['lobby']) {
    if (await ctx.rooms.createIfMissing(db, token, now())) logger.info({ room: token }, 'room created');
  }

  const authenticator = new Authenticator({
    db,
    users,
    nonces: state,
    serverPk: keys.publicKey,
    requireBlinding,
    now,
    onReject: (reason) => metrics.rejections.inc({ reason }),
  });
  const router = new Router(requireBlinding);
  const callerLookups = new Coalescer((pairs: CallerRoomKey[]) => ctx.rooms.findWithCallers(db, pairs));
  const dispatcher = new Dispatcher(router, authenticator, metrics, logger, (sessionId, token) => callerLookups.get({ sessionId, token }));
  const onion = new OnionHandler(keys, () => dispatcher, metrics);
  router.add(
    ...capabilityRoutes(requireBlinding),
    ...roomRoutes(ctx),
    ...messageRoutes(ctx),
    ...reactionRoutes(ctx),
    ...pinRoutes(ctx),
    ...fileRoutes(ctx),
    ...permissionRoutes(ctx),
    ...moderationRoutes(ctx),
    ...dmRoutes(ctx),
    ...batchRoutes(),
    ...onion.routes(),
  );

  const health = new HealthChecks();
  health.addLiveness('event-loop', () => true);
  health.addReadiness('database', () => db.query('SELECT 1'));

  let closing: Promise<void> | undefined;
  const tooLarge = () => metrics.rejections.inc({ reason: 'http_413' });
  const adapter = new FastifyAdapter({
    bodyLimit: MAX_BODY_BYTES,
    // SOGS requests are answered before Fastify sees them (http/sogs-listener.ts).
    serverFactory: frontServerFactory((fastify) =>
      withSogsRoutes({ dispatcher, maxBodyBytes: MAX_BODY_BYTES, onTooLarge: tooLarge, closing: () => !!closing }, fastify),
    ),
  });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule, adapter, { bodyParser: false, logger: false });
  const fastify = app.getHttpAdapter().getInstance();
  app.useGlobalFilters(new PlainTextErrorsFilter(tooLarge));
  mountOpsRoutes(fastify, { health, metrics: serviceMetrics });

  const jobs = new CleanupJobs(ctx, logger);
  await app.listen(options.port ?? 0, options.host ?? '127.0.0.1');
  const addr = fastify.server.address();
  const port = typeof addr === 'object' && addr ? addr.port : (options.port ?? 0);
  const host = options.host ?? '127.0.0.1';
  const address = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  if (options.cleanupIntervalMs) jobs.start(options.cleanupIntervalMs);

  return {
    address,
    port,
    pubkey: toHex(keys.publicKey),
    keys,
    db,
    async joinUrls() {
      const rooms = await ctx.rooms.all(db);
      return Object.fromEntries(rooms.map((r) => [r.token, joinUrl(options.baseUrl ?? address, r.token, keys.publicKey)]));
    },
    runJobs: () => jobs.runOnce(),
    close() {
      closing ??= (async () => {
        health.markShuttingDown();
        await jobs.stop();
        await app.close(); // stops accepting, waits for in-flight requests
        if (ownsState) await state.close();
        if (ownsDb) await db.close();
      })();
      return closing;
    },
  };
}
