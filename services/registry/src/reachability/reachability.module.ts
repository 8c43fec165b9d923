// Reachability tests: the leader pings every known node on its own schedule, the way its peers
// reach it (gRPC Ping), and records consecutive failures. The leader, which starts and stops the
// tests, closes the pinger's channels once it has stopped testing.
import { Module } from '@nestjs/common';
import { DATABASE, GrpcMetrics, type Database } from '@starling/platform';
import { REGISTRY_CONFIG, type RegistryConfig } from '../config';
import { GrpcNodePinger, NODE_PINGER, type NodePinger } from './node-pinger';
import { ReachabilityTester } from './reachability-tester';

@Module({
  providers: [
    {
      provide: NODE_PINGER,
      inject: [REGISTRY_CONFIG, GrpcMetrics],
      useFactory: (config: RegistryConfig, grpcMetrics: GrpcMetrics) => new GrpcNodePinger(config.testTimeoutMs, grpcMetrics.client),
    },
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
  ],
  exports: [ReachabilityTester, NODE_PINGER],
})
export class ReachabilityModule {}
