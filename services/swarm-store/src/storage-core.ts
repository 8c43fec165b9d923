// The storage node without its servers: database, group commit, RPC handlers, replication and
// swarm membership wired together. The HTTP and gRPC servers (and the integration tests) call
// into this; the process entrypoint adds config, servers, the registry and signals.
import * as path from 'path';
import { migrate, type Database, type Logger } from '@starling/platform';
import type { SwarmStoreConfig } from './config';
import { DeleteAllHandler } from './delete/delete-all.handler';
import { DeleteBeforeHandler } from './delete/delete-before.handler';
import { DeleteHandler } from './delete/delete.handler';
import { ExpireAllHandler } from './expire/expire-all.handler';
import { ExpireHandler } from './expire/expire.handler';
import { GetExpiriesHandler } from './expire/get-expiries.handler';
import type { NodeIdentity } from './identity/node-identity';
import { InfoHandler } from './info/info.handler';
import { createNodeMetrics, type NodeMetrics } from './node-metrics';
import { DataMover } from './replication/data-mover';
import { PeerClients } from './replication/peer-client';
import { PushReceiver } from './replication/push-receiver';
import { DbReplicationQueue, ReplicationRetrier } from './replication/retry-queue';
import { SwarmFanout } from './replication/swarm-fanout';
import { RetrieveHandler } from './retrieve/retrieve.handler';
import { RpcDispatcher } from './rpc/dispatcher';
import type { NodeServices, RpcMethod } from './rpc/method';
import { GroupCommitWriter } from './storage/group-commit';
import { MessageStore } from './storage/message-store';
import { StoreHandler } from './store/store.handler';
import { GetSwarmHandler } from './swarm-membership/get-swarm.handler';
import { SwarmChangeReactor } from './swarm-membership/swarm-changes';
import { SwarmView } from './swarm-membership/swarm-view';

export const MIGRATIONS_DIR = path.join(__dirname, '..', 'migrations');

export type CoreSettings = Pick<
  SwarmStoreConfig,
  | 'maxStorageBytes' | 'accountQuotaBytes' | 'expirySweepInterval' | 'forwardTimeout' | 'retryInterval'
  | 'handoverGrace' | 'groupCommitDelay' | 'groupCommitConcurrency' | 'groupCommitMaxRows'
>;

export const DEFAULT_CORE_SETTINGS: CoreSettings = {
  maxStorageBytes: 10 * 1024 ** 3,
  accountQuotaBytes: 100 * 1024 ** 2,
  expirySweepInterval: 5_000,
  forwardTimeout: 5_000,
  retryInterval: 2_000,
  handoverGrace: 10 * 60_000,
  groupCommitDelay: 0,
  groupCommitConcurrency: 2,
  groupCommitMaxRows: 200,
};

export interface StorageCoreOptions {
  db: Database;
  identity: NodeIdentity;
  logger: Logger;
  settings?: Partial<CoreSettings>;
  /** Initial swarm view; default: this node alone in swarm 0 (development without a registry). */
  view?: SwarmView;
  metrics?: NodeMetrics;
}

/** A view in which this node alone forms swarm 0. */
export function soloView(identity: NodeIdentity, publicIp = '127.0.0.1', publicPort = 0, grpcAddress = ''): SwarmView {
  return new SwarmView(identity.ed25519Hex, [
    { ed25519: identity.ed25519Hex, x25519: identity.x25519Hex, grpcAddress, publicIp, publicPort, swarmId: 0n },
  ]);
}

export class StorageCore {
  readonly store: MessageStore;
  readonly writer: GroupCommitWriter;
  readonly queue: DbReplicationQueue;
  readonly peers: PeerClients;
  readonly dispatcher: RpcDispatcher;
  readonly pushReceiver: PushReceiver;
  readonly reactor: SwarmChangeReactor;
  readonly retrier: ReplicationRetrier;
  readonly metrics: NodeMetrics;
  readonly settings: CoreSettings;
  private view: SwarmView;
  private readonly timers: NodeJS.Timeout[] = [];

  private constructor(readonly options: StorageCoreOptions) {
    const { db, identity, logger } = options;
    this.settings = { ...DEFAULT_CORE_SETTINGS, ...options.settings };
    this.metrics = options.metrics ?? createNodeMetrics();
    this.view = options.view ?? soloView(identity);
    this.store = new MessageStore(db);
    this.writer = new GroupCommitWriter(this.store, {
      delayMs: this.settings.groupCommitDelay,
      concurrency: this.settings.groupCommitConcurrency,
      maxRows: this.settings.groupCommitMaxRows,
      capBytes: this.settings.maxStorageBytes,
      accountQuotaBytes: this.settings.accountQuotaBytes,
      onCommitted: (rows) => this.metrics.groupCommitRows.observe(rows),
    });
    this.queue = new DbReplicationQueue(db, this.settings.retryInterval);
    this.peers = new PeerClients(identity, this.settings.forwardTimeout);
    const services: NodeServices = {
      store: this.store,
      writer: this.writer,
      identity,
      swarm: () => this.view,
      isRevoked: (account, token) => this.store.isRevoked(account.id, token),
      metrics: this.metrics,
    };
    const methods: RpcMethod[] = [
      new StoreHandler(services),
      new RetrieveHandler(services),
      new DeleteHandler(services),
      new DeleteAllHandler(services),
      new DeleteBeforeHandler(services),
      new ExpireHandler(services),
      new ExpireAllHandler(services),
      new GetExpiriesHandler(services),
      new GetSwarmHandler(services, 'get_swarm'),
      new GetSwarmHandler(services, 'get_snodes_for_pubkey'),
      new InfoHandler(),
    ];
    const fanout = new SwarmFanout(services, this.peers, this.queue, this.metrics, logger);
    this.dispatcher = new RpcDispatcher(methods, fanout, logger);
    this.pushReceiver = new PushReceiver(this.store, () => this.view);
    this.reactor = new SwarmChangeReactor(this.store, new DataMover(this.store, this.peers, this.queue, logger), this.metrics, logger);
    this.retrier = new ReplicationRetrier(this.queue, this.store, this.peers, () => this.view, this.metrics, logger);
  }

  /** Applies the migrations and returns a ready core (background work not started yet). */
  static async open(options: StorageCoreOptions): Promise<StorageCore> {
    await migrate(options.db, MIGRATIONS_DIR);
    const core = new StorageCore(options);
    await core.recount();
    return core;
  }

  get identity(): NodeIdentity {
    return this.options.identity;
  }

  currentView(): SwarmView {
    return this.view;
  }

  /** Swaps in a new network map snapshot and reacts to what changed. */
  setView(view: SwarmView): Promise<void> {
    const previous = this.view;
    this.view = view;
    this.peers.retain(new Set([...view.nodes.values()].map((n) => n.grpcAddress)));
    return this.reactor.onChange(previous, view);
  }

  /** Expiry sweep (every ≤ 10 s), replication retries, and pruning of handed-over data. */
  startBackground(): void {
    const every = (ms: number, fn: () => Promise<unknown>) => {
      let busy = false;
      const t = setInterval(() => {
        if (busy) return;
        busy = true;
        fn().catch((err) => this.options.logger.error({ err }, 'background task failed')).finally(() => (busy = false));
      }, ms);
      t.unref();
      this.timers.push(t);
    };
    every(this.settings.expirySweepInterval, () => this.sweep());
    every(this.settings.retryInterval, () => this.retrier.runOnce());
    every(Math.max(1_000, Math.min(30_000, this.settings.handoverGrace)), () => this.store.pruneHandedOver(Date.now() - this.settings.handoverGrace));
  }

  async sweep(): Promise<void> {
    const removed = await this.store.sweepExpired(Date.now());
    this.metrics.expiredSwept.inc(removed);
    await this.recount();
  }

  private async recount(): Promise<void> {
    const totals = await this.store.totals();
    this.writer.setHeldBytes(totals.bytes);
    this.metrics.messagesHeld.set(totals.messages);
    this.metrics.bytesHeld.set(totals.bytes);
  }

  /** Stops background work and writes what the group commit still holds. */
  async close(): Promise<void> {
    for (const t of this.timers) clearInterval(t);
    await this.writer.close();
    await this.reactor.settled();
    this.peers.close();
  }
}
