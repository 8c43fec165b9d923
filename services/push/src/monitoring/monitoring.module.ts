// Following the network and watching subscribers' swarms: the registry's map (a follower, not a
// member), the swarm monitors that keep one Monitor stream per storage node, and their timers
// (renewals, the rescan that picks up other replicas' subscriptions). New subscriptions arrive on
// the shared state's channel and are watched at once. The service is ready once it has a map.
import { Inject, Injectable, Module, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { NetworkMapFollower, type NetworkMap } from '@starling/membership';
import { GrpcMetrics, HealthChecks, LOGGER, SHARED_STATE, type Logger, type SharedState, type Unsubscribe } from '@starling/platform';
import { PUSH_SETTINGS, type PushConfig } from '../config';
import { PushMetrics } from '../metrics';
import { NoticeDispatcher } from '../notices/notice-dispatcher';
import { NoticesModule } from '../notices/notices.module';
import { SUBSCRIBED_CHANNEL } from '../subscriptions/subscriptions.module';
import { SubscriptionStore } from '../subscriptions/subscription-store';
import { NodeStream } from './node-stream';
import { SwarmMap } from './swarm-map';
import { SwarmMonitors } from './swarm-monitors';

/** How often due renewals are looked for (each account is renewed every 45-55 minutes). */
const RENEW_TICK_MS = 30_000;

@Injectable()
class MonitorJobs implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly timers: NodeJS.Timeout[] = [];
  private unsubscribe: Unsubscribe | undefined;
  private readonly justSubscribed = new Set<string>();

  constructor(
    private readonly follower: NetworkMapFollower,
    private readonly monitors: SwarmMonitors,
    @Inject(SHARED_STATE) private readonly state: SharedState,
    @Inject(PUSH_SETTINGS) private readonly config: PushConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    metrics: PushMetrics,
    health: HealthChecks,
  ) {
    metrics.watchMonitors(monitors);
    health.addReadiness('network-map', () => monitors.hasMap);
  }

  async onApplicationBootstrap(): Promise<void> {
    this.unsubscribe = await this.state.subscribe(SUBSCRIBED_CHANNEL, (hex) => {
      if (/^[0-9a-f]{66}$/.test(hex)) this.subscribed(hex);
    });
    let first = true;
    this.follower.on('map', (map: NetworkMap) => {
      this.monitors.applyMap(SwarmMap.fromNetworkMap(map));
      if (!first) return;
      first = false;
      void this.run('loading the subscribed accounts', () => this.monitors.rescan());
    });
    this.follower.follow();
    this.every(RENEW_TICK_MS, 'renewing monitor subscriptions', () => this.monitors.renewDue());
    this.every(this.config.rescanIntervalMs, 'rescanning the subscribed accounts', () => this.monitors.rescan());
  }

  /** No new notices: the streams close, then the dispatches in flight finish. */
  async beforeApplicationShutdown(): Promise<void> {
    for (const timer of this.timers.splice(0)) clearInterval(timer);
    this.follower.close();
    this.monitors.close();
    await this.unsubscribe?.();
    await this.monitors.settled();
  }

  /** A burst of subscriptions (an array request, many devices) becomes one watch per account. */
  private subscribed(hex: string): void {
    const first = this.justSubscribed.size === 0;
    this.justSubscribed.add(hex);
    if (!first) return;
    setImmediate(() => {
      const accounts = [...this.justSubscribed].map((a) => Buffer.from(a, 'hex'));
      this.justSubscribed.clear();
      void this.monitors.watch(accounts);
    });
  }

  private every(ms: number, what: string, job: () => Promise<void>): void {
    let busy = false;
    const timer = setInterval(() => {
      if (busy || !this.monitors.hasMap) return;
      busy = true;
      void this.run(what, job).finally(() => (busy = false));
    }, ms);
    timer.unref();
    this.timers.push(timer);
  }

  private async run(what: string, job: () => Promise<void>): Promise<void> {
    try {
      await job();
    } catch (err) {
      this.logger.error({ err: (err as Error).message }, `${what} failed`);
    }
  }
}

@Module({
  imports: [NoticesModule],
  providers: [
    {
      provide: NetworkMapFollower,
      inject: [PUSH_SETTINGS, LOGGER, GrpcMetrics],
      useFactory: (config: PushConfig, logger: Logger, grpcMetrics: GrpcMetrics) =>
        new NetworkMapFollower({ registryAddress: config.registryAddress, registryPubkey: config.registryPubkey, logger, observe: grpcMetrics.client }),
    },
    {
      provide: SwarmMonitors,
      inject: [SubscriptionStore, NoticeDispatcher, PushMetrics, LOGGER, GrpcMetrics],
      useFactory: (store: SubscriptionStore, dispatcher: NoticeDispatcher, metrics: PushMetrics, logger: Logger, grpcMetrics: GrpcMetrics) =>
        new SwarmMonitors({
          subscriptions: store,
          openStream: (node, events) => new NodeStream(node, events, logger, grpcMetrics.client),
          dispatch: (notice) => dispatcher.dispatch(notice),
          onRefused: (errcode, count) => metrics.monitorRefused(errcode, count),
          logger,
        }),
    },
    MonitorJobs,
  ],
  exports: [SwarmMonitors],
})
export class MonitoringModule {}
