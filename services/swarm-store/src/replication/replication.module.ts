// Keeping the swarm's members in step: forwarding recursive requests to peers, the durable retry
// queue, pushes received from peers, and moving data when the swarm changes.
import { Module } from '@nestjs/common';
import { DATABASE, GrpcMetrics, LOGGER, type Database, type Logger } from '@starling/platform';
import type { SwarmStoreConfig } from '../config';
import { NodeIdentity } from '../identity/node-identity';
import type { NodeMetrics } from '../node-metrics';
import type { NodeServices } from '../rpc/method';
import { AccountHandOver } from '../storage/account-hand-over';
import { MessageStore } from '../storage/message-store';
import { RevocationStore } from '../storage/revocation-store';
import { StorageModule } from '../storage/storage.module';
import { SwarmChangeReactor } from '../swarm-membership/swarm-changes';
import { SwarmModule } from '../swarm-membership/swarm.module';
import { SwarmViews } from '../swarm-membership/swarm-views';
import { NODE_METRICS, NODE_SERVICES, SWARM_STORE_CONFIG } from '../tokens';
import { DataMover } from './data-mover';
import { PeerClients } from './peer-client';
import { PushReceiver } from './push-receiver';
import { DbReplicationQueue, ReplicationRetrier } from './retry-queue';
import { SwarmFanout } from './swarm-fanout';

@Module({
  imports: [StorageModule, SwarmModule],
  providers: [
    {
      provide: PeerClients,
      inject: [NodeIdentity, SWARM_STORE_CONFIG, GrpcMetrics],
      useFactory: (identity: NodeIdentity, config: SwarmStoreConfig, grpcMetrics: GrpcMetrics) => new PeerClients(identity, config.forwardTimeout, grpcMetrics.client),
    },
    {
      provide: DbReplicationQueue,
      inject: [DATABASE, SWARM_STORE_CONFIG],
      useFactory: (db: Database, config: SwarmStoreConfig) => new DbReplicationQueue(db, config.retryInterval),
    },
    {
      provide: SwarmFanout,
      inject: [NODE_SERVICES, PeerClients, DbReplicationQueue, NODE_METRICS, LOGGER],
      useFactory: (node: NodeServices, peers: PeerClients, queue: DbReplicationQueue, metrics: NodeMetrics, logger: Logger) =>
        new SwarmFanout(node, peers, queue, metrics, logger),
    },
    {
      provide: PushReceiver,
      inject: [MessageStore, RevocationStore, SwarmViews],
      useFactory: (store: MessageStore, revocations: RevocationStore, views: SwarmViews) => new PushReceiver(store, revocations, () => views.current),
    },
    {
      provide: DataMover,
      inject: [MessageStore, RevocationStore, PeerClients, DbReplicationQueue, LOGGER],
      useFactory: (store: MessageStore, revocations: RevocationStore, peers: PeerClients, queue: DbReplicationQueue, logger: Logger) =>
        new DataMover(store, revocations, peers, queue, logger),
    },
    {
      provide: ReplicationRetrier,
      inject: [DbReplicationQueue, MessageStore, RevocationStore, PeerClients, SwarmViews, NODE_METRICS, LOGGER],
      useFactory: (
        queue: DbReplicationQueue,
        store: MessageStore,
        revocations: RevocationStore,
        peers: PeerClients,
        views: SwarmViews,
        metrics: NodeMetrics,
        logger: Logger,
      ) => new ReplicationRetrier(queue, store, revocations, peers, () => views.current, metrics, logger),
    },
    {
      provide: SwarmChangeReactor,
      inject: [SwarmViews, PeerClients, AccountHandOver, DataMover, NODE_METRICS, LOGGER],
      useFactory: (views: SwarmViews, peers: PeerClients, handOver: AccountHandOver, mover: DataMover, metrics: NodeMetrics, logger: Logger) =>
        new SwarmChangeReactor(views, peers, handOver, mover, metrics, logger),
    },
  ],
  exports: [PeerClients, SwarmFanout, PushReceiver, ReplicationRetrier, SwarmChangeReactor],
})
export class ReplicationModule {}
