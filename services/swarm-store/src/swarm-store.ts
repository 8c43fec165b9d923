// Starts one storage node: `startSwarmStoreNode(config)` for main.ts, the tests and the local
// network launcher. Without DATABASE_URL the node keeps its messages in PGlite in its data folder.
import { ready } from '@starling/crypto';
import { edgeLimits, edgeTls, startService, type Logger } from '@starling/platform';
import { GrpcHost } from '@starling/proto';
import { MAX_ONION_BYTES, nodeNotFound } from '@starling/service-node';
import * as path from 'path';
import type { SwarmStoreConfig } from './config';
import { loadOrCreateSeed, NodeIdentity } from './identity/node-identity';
import { RpcDispatcher } from './rpc/dispatcher';
import { MessageStore } from './storage/message-store';
import { SwarmFollower } from './swarm-membership/swarm-follower';
import { SwarmStoreModule } from './swarm-store.module';

export const MIGRATIONS_DIR = path.join(__dirname, '..', 'migrations');

export interface RunningNode {
  httpPort: number;
  grpcPort: number;
  opsPort: number;
  identity: NodeIdentity;
  /** The node's own parts, for tests that look inside. */
  store: MessageStore;
  dispatcher: RpcDispatcher;
  follower: SwarmFollower;
  stop(): Promise<void>;
}

export async function startSwarmStoreNode(config: SwarmStoreConfig, logger?: Logger): Promise<RunningNode> {
  await ready();
  const seed = loadOrCreateSeed(config.dataDir);
  // Named after the node, so that several nodes can share one PostgreSQL database and one Redis.
  const nodeTag = new NodeIdentity(seed).ed25519Hex.slice(0, 16);
  const service = await startService(
    {
      name: 'swarm-store',
      logger,
      edge: {
        host: config.host,
        port: config.httpPort,
        tls: await edgeTls(config, config.dataDir, 'Starling storage node'),
        maxBodyBytes: MAX_ONION_BYTES,
        ...edgeLimits(config),
        notFound: nodeNotFound,
        methodNotAllowed: nodeNotFound,
      },
      ops: { host: config.host, port: config.opsPort },
      drain: { delayMs: config.drainDelay, graceMs: config.shutdownGrace },
      database: config.databaseUrl
        ? { url: config.databaseUrl, schema: config.dbSchema ?? `swarm_store_${nodeTag}`, poolSize: config.dbPoolSize, migrations: MIGRATIONS_DIR }
        : { dataDir: path.join(config.dataDir, 'pglite'), migrations: MIGRATIONS_DIR },
      sharedState: { url: config.redisUrl, keyPrefix: `swarm-store:${nodeTag}:` },
    },
    SwarmStoreModule.forConfig(config, seed),
  );
  const identity = service.app.get(NodeIdentity, { strict: false });
  const running: RunningNode = {
    httpPort: service.host.edge!.port,
    grpcPort: service.app.get(GrpcHost, { strict: false }).port,
    opsPort: service.host.ops!.port,
    identity,
    store: service.app.get(MessageStore, { strict: false }),
    dispatcher: service.app.get(RpcDispatcher, { strict: false }),
    follower: service.app.get(SwarmFollower, { strict: false }),
    stop: service.close,
  };
  service.host.logger.info({ ed25519: identity.ed25519Hex, httpPort: running.httpPort, grpcPort: running.grpcPort, opsPort: running.opsPort }, 'storage node started');
  return running;
}
