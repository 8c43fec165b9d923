// The public surface on the edge: /subscribe and /unsubscribe (one route table), and the onion
// endpoints (/oxen/v4/lsrpc, and the deprecated v3 ones) whose inner requests run through the
// same table. The onion layer is decrypted with the server's X25519 key.
import { Inject, Injectable, Module, type OnModuleInit } from '@nestjs/common';
import { MAX_ONION_REQUEST_BYTES, type Identity } from '@starling/crypto';
import { OnionEndpoint } from '@starling/onion-server';
import { Edge } from '@starling/platform';
import { PushMetrics } from '../metrics';
import { PushApi } from '../subscriptions/push-api';
import { SubscriptionsModule } from '../subscriptions/subscriptions.module';
import { PUSH_KEYS } from '../tokens';
import { PushRoutes } from './push-routes';

@Injectable()
class PushEdge implements OnModuleInit {
  constructor(
    private readonly edge: Edge,
    private readonly routes: PushRoutes,
    @Inject(OnionEndpoint) private readonly onion: OnionEndpoint,
  ) {}

  onModuleInit(): void {
    this.edge.mount(this.routes);
    this.edge.route(...this.onion.routes(MAX_ONION_REQUEST_BYTES));
  }
}

@Module({
  imports: [SubscriptionsModule],
  providers: [
    { provide: PushRoutes, inject: [PushApi], useFactory: (api: PushApi) => new PushRoutes(api) },
    {
      provide: OnionEndpoint,
      inject: [PUSH_KEYS, PushRoutes, PushMetrics],
      useFactory: (keys: Identity, routes: PushRoutes, metrics: PushMetrics) =>
        new OnionEndpoint({
          keys: keys.x25519,
          dispatch: (req) => routes.dispatch(req),
          // The push server never had endpoints without a leading slash.
          legacyPrefix: '/',
          observe: (version, outcome) => metrics.onion(version, outcome),
        }),
    },
    PushEdge,
  ],
})
export class HttpModule {}
