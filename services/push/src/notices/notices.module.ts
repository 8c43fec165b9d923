// Notices: a storage node's report of a new message becomes one encrypted notice per live
// subscription that has not had it yet (the filter is shared by replicas through SharedState).
import { Module } from '@nestjs/common';
import { SHARED_STATE, type SharedState } from '@starling/platform';
import { PUSH_SETTINGS, type PushConfig } from '../config';
import { DeliveryModule } from '../delivery/delivery.module';
import { DeliveryQueue } from '../delivery/delivery-queue';
import type { PushProvider } from '../delivery/provider';
import { PushMetrics } from '../metrics';
import { SubscriptionStore } from '../subscriptions/subscription-store';
import { PUSH_PROVIDERS } from '../tokens';
import { NoticeDispatcher } from './notice-dispatcher';
import { NoticeFilter } from './notice-filter';

@Module({
  imports: [DeliveryModule],
  providers: [
    {
      provide: NoticeFilter,
      inject: [SHARED_STATE, PUSH_SETTINGS],
      useFactory: (state: SharedState, config: PushConfig) => new NoticeFilter(state, config.dedupWindowMs),
    },
    {
      provide: NoticeDispatcher,
      inject: [SubscriptionStore, NoticeFilter, DeliveryQueue, PUSH_PROVIDERS, PushMetrics],
      useFactory: (store: SubscriptionStore, filter: NoticeFilter, queue: DeliveryQueue, providers: ReadonlyMap<string, PushProvider>, metrics: PushMetrics) =>
        new NoticeDispatcher({ store, filter, queue, providers, metrics }),
    },
  ],
  exports: [NoticeDispatcher],
})
export class NoticesModule {}
