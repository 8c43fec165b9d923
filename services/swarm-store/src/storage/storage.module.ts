// Where messages live: the message table and the group commit that writes to it, the accounts'
// subaccount revocations, the node's domain metrics, and what the RPC handlers use of all that
// (NodeServices).
import { Module } from '@nestjs/common';
import { DATABASE, ServiceMetrics, type Database } from '@starling/platform';
import type { SwarmStoreConfig } from '../config';
import { NodeIdentity } from '../identity/node-identity';
import { createNodeMetrics, type NodeMetrics } from '../node-metrics';
import type { NodeServices } from '../rpc/method';
import { SwarmModule } from '../swarm-membership/swarm.module';
import { SwarmViews } from '../swarm-membership/swarm-views';
import { NODE_METRICS, NODE_SERVICES, SWARM_STORE_CONFIG } from '../tokens';
import { AccountHandOver } from './account-hand-over';
import { GroupCommitWriter } from './group-commit';
import { MessageStore } from './message-store';
import { RevocationStore } from './revocation-store';
import { NewMessages } from './new-messages';

@Module({
  imports: [SwarmModule],
  providers: [
    { provide: NODE_METRICS, inject: [ServiceMetrics], useFactory: (metrics: ServiceMetrics) => createNodeMetrics(metrics) },
    { provide: MessageStore, inject: [DATABASE], useFactory: (db: Database) => new MessageStore(db) },
    { provide: RevocationStore, inject: [DATABASE], useFactory: (db: Database) => new RevocationStore(db) },
    { provide: AccountHandOver, inject: [DATABASE], useFactory: (db: Database) => new AccountHandOver(db) },
    { provide: NewMessages, useFactory: () => new NewMessages() },
    {
      provide: GroupCommitWriter,
      inject: [MessageStore, SWARM_STORE_CONFIG, NODE_METRICS, NewMessages],
      useFactory: (store: MessageStore, config: SwarmStoreConfig, metrics: NodeMetrics, newMessages: NewMessages) =>
        new GroupCommitWriter(store, {
          delayMs: config.groupCommitDelay,
          concurrency: config.groupCommitConcurrency,
          maxRows: config.groupCommitMaxRows,
          capBytes: config.maxStorageBytes,
          accountQuotaBytes: config.accountQuotaBytes,
          onCommitted: (rows) => metrics.groupCommitRows.observe(rows),
          onInserted: (messages) => newMessages.publish(messages),
        }),
    },
    {
      provide: NODE_SERVICES,
      inject: [MessageStore, RevocationStore, GroupCommitWriter, NodeIdentity, SwarmViews, NODE_METRICS],
      useFactory: (
        store: MessageStore,
        revocations: RevocationStore,
        writer: GroupCommitWriter,
        identity: NodeIdentity,
        views: SwarmViews,
        metrics: NodeMetrics,
      ): NodeServices => ({
        store,
        revocations,
        writer,
        identity,
        swarm: () => views.current,
        isRevoked: (account, token) => revocations.isRevoked(account.id, token),
        metrics,
      }),
    },
  ],
  exports: [NODE_METRICS, MessageStore, RevocationStore, AccountHandOver, GroupCommitWriter, NODE_SERVICES, NewMessages],
})
export class StorageModule {}
