// The node's background work and its orderly end: the expiry sweep (every <= 10 s, as upstream),
// replication retries, pruning of handed-over data, the sweep of lapsed push monitors; on stop, every acknowledged write is flushed
// to disk and running reactions finish before the peer connections close.
import { Inject, Injectable, type BeforeApplicationShutdown, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { LOGGER, type Logger } from '@starling/platform';
import type { SwarmStoreConfig } from '../config';
import type { MonitorRegistry } from '../monitor/monitor-registry';
import { MONITORS } from '../monitor/monitor.module';
import type { MonitorSink } from '../monitor/monitor-wire';
import type { NodeMetrics } from '../node-metrics';
import { PeerClients } from '../replication/peer-client';
import { ReplicationRetrier } from '../replication/retry-queue';
import { SwarmChangeReactor } from '../swarm-membership/swarm-changes';
import { NODE_METRICS, SWARM_STORE_CONFIG } from '../tokens';
import { GroupCommitWriter } from './group-commit';
import { MessageStore } from './message-store';
import { AccountHandOver } from './account-hand-over';

/** Monitors live 65 minutes; a lapsed one already gets no notices, the sweep only frees it. */
const MONITOR_SWEEP_MS = 60_000;

@Injectable()
export class StorageJobs implements OnApplicationBootstrap, BeforeApplicationShutdown, OnApplicationShutdown {
  private readonly timers: NodeJS.Timeout[] = [];

  constructor(
    private readonly store: MessageStore,
    private readonly handOver: AccountHandOver,
    private readonly writer: GroupCommitWriter,
    private readonly retrier: ReplicationRetrier,
    private readonly reactor: SwarmChangeReactor,
    private readonly peers: PeerClients,
    @Inject(MONITORS) private readonly monitors: MonitorRegistry<MonitorSink>,
    @Inject(NODE_METRICS) private readonly metrics: NodeMetrics,
    @Inject(SWARM_STORE_CONFIG) private readonly config: SwarmStoreConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.recount();
    this.every(this.config.expirySweepInterval, () => this.sweep());
    this.every(this.config.retryInterval, () => this.retrier.runOnce());
    this.every(Math.max(1_000, Math.min(30_000, this.config.handoverGrace)), () => this.handOver.prune(Date.now() - this.config.handoverGrace));
    this.every(MONITOR_SWEEP_MS, async () => this.monitors.sweep());
  }

  beforeApplicationShutdown(): void {
    for (const t of this.timers.splice(0)) clearInterval(t);
  }

  /** After the listeners have drained: nothing new arrives, so what the group commit holds is final. */
  async onApplicationShutdown(): Promise<void> {
    await this.writer.close();
    await this.reactor.settled();
    this.peers.close();
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

  private every(ms: number, fn: () => Promise<unknown>): void {
    let busy = false;
    const timer = setInterval(() => {
      if (busy) return;
      busy = true;
      fn()
        .catch((err) => this.logger.error({ err }, 'background task failed'))
        .finally(() => (busy = false));
    }, ms);
    timer.unref();
    this.timers.push(timer);
  }
}
