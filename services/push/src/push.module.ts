// The push service as a Nest application: its configuration, identity, providers, subscription
// table and metrics, shared by every feature (subscriptions and the HTTP/onion surface, delivery,
// notices, swarm monitoring). Database, shared state, logger, metrics registry, health checks and
// the edge come from the platform.
import { Module, type DynamicModule } from '@nestjs/common';
import { DATABASE, ServiceMetrics, type Database } from '@starling/platform';
import { PUSH_SETTINGS, type PushConfig } from './config';
import type { PushProvider } from './delivery/provider';
import { createProviders } from './delivery/providers';
import { HttpModule } from './http/http.module';
import { pushKeysProvider } from './identity/push-keys';
import { PushMetrics } from './metrics';
import { MonitoringModule } from './monitoring/monitoring.module';
import { SubscriptionStore } from './subscriptions/subscription-store';
import { PUSH_KEYS, PUSH_PROVIDERS } from './tokens';

/** What every feature module injects. */
@Module({})
class PushCoreModule {}

@Module({})
export class PushModule {
  static forConfig(config: PushConfig): DynamicModule {
    const core: DynamicModule = {
      module: PushCoreModule,
      global: true,
      providers: [
        { provide: PUSH_SETTINGS, useValue: config },
        pushKeysProvider,
        { provide: PUSH_PROVIDERS, useFactory: () => createProviders(config) },
        { provide: SubscriptionStore, inject: [DATABASE], useFactory: (db: Database) => new SubscriptionStore(db) },
        {
          provide: PushMetrics,
          inject: [ServiceMetrics, SubscriptionStore, PUSH_PROVIDERS],
          useFactory: (metrics: ServiceMetrics, store: SubscriptionStore, providers: ReadonlyMap<string, PushProvider>) =>
            new PushMetrics(metrics, () => store.count(), [...providers.keys()]),
        },
      ],
      exports: [PUSH_SETTINGS, PUSH_KEYS, PUSH_PROVIDERS, SubscriptionStore, PushMetrics],
    };
    return { module: PushModule, imports: [core, HttpModule, MonitoringModule] };
  }
}
