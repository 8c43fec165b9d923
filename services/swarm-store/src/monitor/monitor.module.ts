// Push-notification monitors on this node (upstream `monitor.messages`): the registry of who
// watches which accounts, fed with every message the node newly stores and with every swarm
// change. The gRPC Monitor stream (grpc/monitor-stream.ts) subscribes into it; StorageJobs sweeps it.
import { Inject, Injectable, Module, type OnModuleInit } from '@nestjs/common';
import { ServiceMetrics } from '@starling/platform';
import { StorageModule } from '../storage/storage.module';
import { NewMessages } from '../storage/new-messages';
import { SwarmModule } from '../swarm-membership/swarm.module';
import { SwarmViews } from '../swarm-membership/swarm-views';
import { MonitorRegistry } from './monitor-registry';
import { publishForeign, publishStored, type MonitorSink } from './monitor-wire';

/** The injection token of the node's MonitorRegistry<MonitorSink>. */
export const MONITORS = Symbol('Monitors');

@Injectable()
class MonitorFeed implements OnModuleInit {
  constructor(
    @Inject(MONITORS) private readonly monitors: MonitorRegistry<MonitorSink>,
    private readonly newMessages: NewMessages,
    private readonly views: SwarmViews,
    private readonly metrics: ServiceMetrics,
  ) {}

  onModuleInit(): void {
    const monitors = this.monitors;
    this.metrics.gauge('swarm_store_monitor_subscriptions', 'Push monitor subscriptions held (one per account and stream)', [], function collect() {
      this.set(monitors.size);
    });
    const notices = this.metrics.counter('swarm_store_monitor_notices_total', 'New-message notices written to push monitor streams');
    this.newMessages.listen((messages) => {
      let sent = 0;
      for (const message of messages) sent += publishStored(monitors, message);
      if (sent > 0) notices.inc(sent);
    });
    // As the reactor does: a node briefly missing from the map keeps its monitors.
    this.views.onReplace((view) => {
      if (view.mySwarmId !== undefined) publishForeign(monitors, (account) => view.isMine(account));
    });
  }
}

@Module({
  imports: [StorageModule, SwarmModule],
  providers: [
    {
      provide: MONITORS,
      inject: [SwarmViews],
      useFactory: (views: SwarmViews) => new MonitorRegistry<MonitorSink>({ isOurs: (account) => views.current.isMine(account) }),
    },
    MonitorFeed,
  ],
  exports: [MONITORS],
})
export class MonitorModule {}
