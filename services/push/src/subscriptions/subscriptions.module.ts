// Subscriptions: the client API that checks and stores them, and their expiry. A new
// or renewed subscription is announced on the shared state's channel, so that every replica's
// swarm monitors watch the account at once.
import { Module } from '@nestjs/common';
import { LOGGER, SHARED_STATE, type Logger, type SharedState } from '@starling/platform';
import type { PushProvider } from '../delivery/provider';
import { PUSH_PROVIDERS } from '../tokens';
import { PushApi } from './push-api';
import { SubscriptionExpiry } from './subscription-expiry';
import { SubscriptionStore } from './subscription-store';

/** The shared-state channel that carries the hex account of every (re)subscription. */
export const SUBSCRIBED_CHANNEL = 'subscribed';

@Module({
  providers: [
    {
      provide: PushApi,
      inject: [SubscriptionStore, PUSH_PROVIDERS, SHARED_STATE, LOGGER],
      useFactory: (store: SubscriptionStore, providers: ReadonlyMap<string, PushProvider>, state: SharedState, logger: Logger) =>
        new PushApi({
          store,
          providers,
          logger,
          onSubscribed: (request) => {
            state.publish(SUBSCRIBED_CHANNEL, request.key.account.toString('hex')).catch((err: Error) => logger.warn({ err: err.message }, 'announcing a subscription failed'));
          },
        }),
    },
    SubscriptionExpiry,
  ],
  exports: [PushApi, SubscriptionExpiry],
})
export class SubscriptionsModule {}
