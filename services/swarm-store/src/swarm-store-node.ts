// One storage node process: identity, database, core, HTTP and gRPC servers, the registry
// follower, and an orderly stop (drain gRPC, stop HTTP, flush the group commit, close storage).
import { ready } from '@starling/crypto';
import { HealthChecks, openDatabase, openSharedState, type Database, type Logger, type SharedState } from '@starling/platform';
import { bindGrpcServer, drainGrpcServer, type grpc } from '@starling/proto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import * as path from 'path';
import type { SwarmStoreConfig } from './config';
import { createSwarmStoreGrpcServer } from './grpc/swarm-store-grpc';
import { ClientRateLimit } from './http/client-rate-limit';
import { createHttpApp } from './http/http-app';
import { loadOrCreateIdentity } from './identity/node-identity';
import { VERSION } from './rpc/limits';
import { soloView, StorageCore } from './storage-core';
import { RegistryFollower } from './swarm-membership/registry-follower';
import { SwarmView } from './swarm-membership/swarm-view';

export interface RunningNode {
  core: StorageCore;
  httpPort: number;
  grpcPort: number;
  stop(): Promise<void>;
}

export async function startSwarmStoreNode(config: SwarmStoreConfig, logger: Logger): Promise<RunningNode> {
  await ready();
  const identity = await loadOrCreateIdentity(config.dataDir);
  const schema = config.dbSchema ?? `swarm_store_${identity.ed25519Hex.slice(0, 16)}`;
  const db: Database = await openDatabase(
    config.databaseUrl
      ? { url: config.databaseUrl, schema, poolSize: config.dbPoolSize }
      : { dataDir: path.join(config.dataDir, 'pglite') },
  );
  const state: SharedState = await openSharedState({ url: config.redisUrl, keyPrefix: `swarm-store:${identity.ed25519Hex.slice(0, 16)}:` });
  const core = await StorageCore.open({
    db,
    identity,
    logger,
    // Until the first map arrives a registry-following node is in no swarm (503 "not ready").
    view: config.registryGrpcAddress ? new SwarmView(identity.ed25519Hex, []) : undefined,
    settings: config,
  });

  const health = new HealthChecks();
  health.addLiveness('event-loop', () => true);
  health.addReadiness('database', () => db.query('SELECT 1'));

  const grpcServer: grpc.Server = createSwarmStoreGrpcServer(core, logger, async () => (await health.readiness()).ok);
  const grpcPort = await bindGrpcServer(grpcServer, config.host, config.grpcPort);
  const http: NestFastifyApplication = await createHttpApp(core, new ClientRateLimit(state, config.rateLimitBurst, config.rateLimitPerSecond), health);
  await http.listen(config.httpPort, config.host);
  const httpPort = (http.getHttpServer().address() as { port: number }).port;
  const publicIp = config.publicHost ?? config.host;

  let follower: RegistryFollower | undefined;
  if (config.registryGrpcAddress) {
    follower = new RegistryFollower({
      address: config.registryGrpcAddress,
      identity,
      grpcAddress: `${config.host}:${grpcPort}`,
      publicIp,
      publicPort: httpPort,
      version: VERSION.join('.'),
      heartbeatIntervalMs: config.heartbeatInterval,
      registryPubkey: config.registryPubkey,
      onView: (view) => {
        logger.info({ version: view.version.toString(), swarm: view.mySwarmId?.toString(16), peers: view.peers().length }, 'network map');
        void core.setView(view);
      },
      logger,
    });
    follower.start();
    health.addReadiness('swarm', () => core.currentView().mySwarmId !== undefined);
  } else {
    await core.setView(soloView(identity, publicIp, httpPort, `${config.host}:${grpcPort}`));
  }
  core.startBackground();
  logger.info({ ed25519: identity.ed25519Hex, httpPort, grpcPort, database: db.kind }, 'storage node started');

  let stopping: Promise<void> | undefined;
  const step = async (name: string, fn: () => Promise<unknown>) => {
    logger.info({ step: name }, 'shutdown step');
    await fn();
  };
  const stop = () =>
    (stopping ??= (async () => {
      health.markShuttingDown();
      follower?.stop();
      await step('drain grpc', () => drainGrpcServer(grpcServer, config.shutdownGrace));
      await step('close http', () => closeHttp(http, config.shutdownGrace));
      // Flushes the group commit: every acknowledged write is on disk.
      await step('close storage core', () => core.close());
      await step('close shared state', () => state.close());
      await step('close database', () => db.close());
    })());
  return { core, httpPort, grpcPort, stop };
}

/**
 * Stops the HTTP server: in-flight requests finish, keep-alive connections are closed as soon as
 * they go idle (Node would otherwise keep them for their whole keep-alive timeout), and whatever
 * is still open after `graceMs` is cut.
 */
async function closeHttp(app: NestFastifyApplication, graceMs: number): Promise<void> {
  const server = app.getHttpServer() as import('http').Server;
  const idle = setInterval(() => server.closeIdleConnections(), 100);
  const cut = setTimeout(() => server.closeAllConnections(), graceMs);
  try {
    await app.close();
  } finally {
    clearInterval(idle);
    clearTimeout(cut);
  }
}
