// Delivery: the bounded queue that sends notices through the providers. On stop the queue lets
// running attempts finish (waiting retries are dropped) before the providers' connections close.
import { Inject, Injectable, Module, type OnApplicationShutdown } from '@nestjs/common';
import { PUSH_SETTINGS, type PushConfig } from '../config';
import { PushMetrics } from '../metrics';
import { SubscriptionStore } from '../subscriptions/subscription-store';
import { PUSH_PROVIDERS } from '../tokens';
import { DeliveryQueue } from './delivery-queue';
import type { PushProvider } from './provider';

@Injectable()
class DeliveryShutdown implements OnApplicationShutdown {
  constructor(
    private readonly queue: DeliveryQueue,
    @Inject(PUSH_PROVIDERS) private readonly providers: ReadonlyMap<string, PushProvider>,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    await this.queue.close();
    for (const provider of this.providers.values()) await provider.close();
  }
}

@Module({
  providers: [
    {
      provide: DeliveryQueue,
      inject: [PUSH_SETTINGS, PushMetrics, SubscriptionStore],
      useFactory: (config: PushConfig, metrics: PushMetrics, store: SubscriptionStore) =>
        new DeliveryQueue({
          ...config.delivery,
          metrics,
          onUnregistered: async (service, target) => {
            await store.removeTarget(service, target.serviceId);
          },
        }),
    },
    DeliveryShutdown,
  ],
  exports: [DeliveryQueue],
})
export class DeliveryModule {}
