// Reachability tests: the leader pings every known node on its own schedule, the way its peers
// reach it (gRPC Ping), and records consecutive failures. The pinger's channels close once the
// leader has stopped testing.
import { Inject, Injectable, Module, type BeforeApplicationShutdown } from '@nestjs/common';
import { DATABASE, type Database } from '@starling/platform';
import { REGISTRY_CONFIG, type RegistryConfig } from '../config';
import { GrpcNodePinger, NODE_PINGER, type NodePinger } from './node-pinger';
import { ReachabilityTester } from './reachability-tester';

@Injectable()
class PingerChannels implements BeforeApplicationShutdown {
  constructor(@Inject(NODE_PINGER) private readonly pinger: NodePinger) {}

  // Runs after the leader module's own stop (this module is deeper), when no test runs any more.
  beforeApplicationShutdown(): void {
    this.pinger.close();
  }
}

@Module({
  providers: [
    { provide: NODE_PINGER, inject: [REGISTRY_CONFIG], useFactory: (config: RegistryConfig) => new GrpcNodePinger(config.testTimeoutMs) },
    {
      provide: ReachabilityTester,
      inject: [DATABASE, NODE_PINGER, REGISTRY_CONFIG],
      useFactory: (db: Database, pinger: NodePinger, config: RegistryConfig) =>
        new ReachabilityTester(db, pinger, {
          intervalMs: config.testIntervalMs,
          jitterMs: config.testJitterMs,
          backoffMs: config.testBackoffMs,
          maxIntervalMs: config.testMaxIntervalMs,
          tickMs: config.testTickMs,
          testsPerTick: config.testsPerTick,
          maxTestFailures: config.maxTestFailures,
        }),
    },
    PingerChannels,
  ],
  exports: [ReachabilityTester],
})
export class ReachabilityModule {}
