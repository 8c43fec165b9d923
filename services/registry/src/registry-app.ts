// Assembles one registry replica: database and migrations, the shared signing key, the map feed,
// leadership (and what the leader does), the gRPC server for nodes and the HTTP seed API.
// main.ts runs it as a process; the service tests run it in-process.
import * as path from 'path';
import type { Logger } from 'pino';
import { ready } from '@starling/crypto';
import { HealthChecks, migrate, openDatabase, type Database } from '@starling/platform';
import { addGrpcHealthService, bindGrpcServer, drainGrpcServer } from '@starling/proto';
import type { RegistryConfig } from './config';
import { createRegistryServer } from './grpc/registry-grpc';
import { createHttpApp } from './http/http-app';
import { loadRegistryIdentity, type RegistryIdentity } from './identity/registry-identity';
import { LeaderDuties } from './leader/leader-duties';
import { AdvisoryLockLeadership, SoleLeadership, type Leadership } from './leader/leadership';
import { MapFeed } from './map/map-feed';
import { createRegistryMetrics } from './metrics';
import { GrpcNodePinger } from './reachability/node-pinger';

export const MIGRATIONS_DIR = path.join(__dirname, '..', 'migrations');

export interface RunningRegistry {
  httpPort: number;
  grpcPort: number;
  identity: RegistryIdentity;
  feed: MapFeed;
  db: Database;
  health: HealthChecks;
  isLeader(): boolean;
  /** Graceful stop: readiness fails, leadership is released, calls drain, then everything closes. */
  close(): Promise<void>;
}

export async function startRegistry(config: RegistryConfig, logger: Logger): Promise<RunningRegistry> {
  await ready();
  const db = await openDatabase(
    config.databaseUrl
      ? { url: config.databaseUrl, schema: config.databaseSchema }
      : { dataDir: config.dataDir, schema: config.databaseSchema },
  );
  const applied = await migrate(db, MIGRATIONS_DIR);
  if (applied.length > 0) logger.info({ migrations: applied.map((m) => m.name) }, 'migrations applied');
  const identity = await loadRegistryIdentity(db);

  const feed = new MapFeed(db, (err) => logger.warn({ err }, 'map poll failed'));
  const metrics = createRegistryMetrics(() => feed);
  await feed.refresh();
  feed.start(config.mapPollIntervalMs);

  const pinger = new GrpcNodePinger(config.testTimeoutMs);
  const duties = new LeaderDuties({
    db,
    identity,
    feed,
    metrics,
    logger,
    pinger,
    epoch: {
      rules: { minSize: config.swarmMinSize, targetSize: config.swarmTargetSize, margin: config.swarmMargin },
      heartbeatTimeoutMs: config.heartbeatTimeoutMs,
      maxTestFailures: config.maxTestFailures,
    },
    epochIntervalMs: config.epochIntervalMs,
    tester: {
      intervalMs: config.testIntervalMs,
      jitterMs: config.testJitterMs,
      backoffMs: config.testBackoffMs,
      maxIntervalMs: config.testMaxIntervalMs,
      tickMs: config.testTickMs,
      testsPerTick: config.testsPerTick,
      maxTestFailures: config.maxTestFailures,
    },
  });
  const leadership: Leadership = config.databaseUrl
    ? new AdvisoryLockLeadership({
        url: config.databaseUrl,
        schema: config.databaseSchema,
        pollIntervalMs: config.leaderPollIntervalMs,
        onError: (err) => logger.warn({ err }, 'leader lock connection failed'),
      })
    : new SoleLeadership();

  const grpcApi = createRegistryServer({
    db,
    feed,
    metrics,
    logger,
    clockWindowMs: config.clockWindowMs,
    heartbeatIntervalMs: config.heartbeatIntervalMs,
    onNodeChange: () => duties.requestEpoch(),
  });
  const health = new HealthChecks()
    .addLiveness('process', () => true)
    .addReadiness('database', () => db.query('SELECT 1'))
    .addReadiness('network map', () => {
      if (!feed.healthy) throw new Error('cannot read the map table');
      if (!feed.current) throw new Error('no map published yet');
    });
  addGrpcHealthService(grpcApi.server, async () => (await health.readiness()).ok, new Set(['starling.registry.v1.RegistryService']));
  const grpcPort = await bindGrpcServer(grpcApi.server, config.host, config.grpcPort);

  const http = await createHttpApp({ feed, health, metrics: metrics.service });
  await http.listen(config.httpPort, config.host);
  const httpPort = (http.getHttpServer().address() as { port: number }).port;

  await leadership.start((leader) => {
    metrics.leader.set(leader ? 1 : 0);
    logger.info({ leader }, leader ? 'became leader' : 'no longer leader');
    if (leader) duties.start();
    else void duties.stop();
  });
  logger.info({ httpPort, grpcPort, registryPubkey: identity.publicKeyHex, database: db.kind }, 'registry started');

  let closing: Promise<void> | undefined;
  return {
    httpPort,
    grpcPort,
    identity,
    feed,
    db,
    health,
    isLeader: () => leadership.isLeader,
    close: () =>
      (closing ??= (async () => {
        health.markShuttingDown();
        await leadership.stop();
        await duties.stop();
        pinger.close();
        grpcApi.closeWatchers();
        await drainGrpcServer(grpcApi.server, config.shutdownGraceMs);
        await http.close();
        feed.stop();
        await db.close();
      })()),
  };
}
