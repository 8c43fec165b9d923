// The storage RPC: every method handler, the dispatcher (batch, sequence, recursion through the
// swarm) and the transport-neutral StorageRpc in front of them.
import { Module } from '@nestjs/common';
import { LOGGER, type Logger } from '@starling/platform';
import { DeleteAllHandler } from '../delete/delete-all.handler';
import { DeleteBeforeHandler } from '../delete/delete-before.handler';
import { DeleteHandler } from '../delete/delete.handler';
import { ExpireAllHandler } from '../expire/expire-all.handler';
import { ExpireHandler } from '../expire/expire.handler';
import { GetExpiriesHandler } from '../expire/get-expiries.handler';
import { InfoHandler } from '../info/info.handler';
import type { NodeMetrics } from '../node-metrics';
import { ReplicationModule } from '../replication/replication.module';
import { SwarmFanout } from '../replication/swarm-fanout';
import { RetrieveHandler } from '../retrieve/retrieve.handler';
import { StorageModule } from '../storage/storage.module';
import { StoreHandler } from '../store/store.handler';
import { RevocationHandler, RevokedSubaccountsHandler } from '../subaccounts/revocation.handlers';
import { GetSwarmHandler } from '../swarm-membership/get-swarm.handler';
import { OxendRequestHandler } from '../swarm-membership/oxend-request.handler';
import { SwarmModule } from '../swarm-membership/swarm.module';
import { SwarmViews } from '../swarm-membership/swarm-views';
import { NODE_METRICS, NODE_SERVICES } from '../tokens';
import { RpcDispatcher } from './dispatcher';
import type { NodeServices } from './method';
import { StorageRpc } from './storage-rpc';

@Module({
  imports: [StorageModule, SwarmModule, ReplicationModule],
  providers: [
    {
      provide: RpcDispatcher,
      inject: [NODE_SERVICES, SwarmViews, SwarmFanout, LOGGER],
      useFactory: (node: NodeServices, views: SwarmViews, fanout: SwarmFanout, logger: Logger) =>
        new RpcDispatcher(
          [
            new StoreHandler(node),
            new RetrieveHandler(node),
            new DeleteHandler(node),
            new DeleteAllHandler(node),
            new DeleteBeforeHandler(node),
            new ExpireHandler(node),
            new ExpireAllHandler(node),
            new GetExpiriesHandler(node),
            new RevocationHandler(node, 'revoke'),
            new RevocationHandler(node, 'unrevoke'),
            new RevokedSubaccountsHandler(node),
            new GetSwarmHandler(node, 'get_swarm'),
            new GetSwarmHandler(node, 'get_snodes_for_pubkey'),
            new InfoHandler(),
            new OxendRequestHandler(views),
          ],
          fanout,
          logger,
        ),
    },
    { provide: StorageRpc, inject: [RpcDispatcher, NODE_METRICS], useFactory: (dispatcher: RpcDispatcher, metrics: NodeMetrics) => new StorageRpc(dispatcher, metrics) },
  ],
  exports: [StorageRpc, RpcDispatcher],
})
export class RpcModule {}
