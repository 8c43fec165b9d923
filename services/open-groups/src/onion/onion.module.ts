// Onion requests addressed to this server: the layer is opened with the server key, and the inner
// request (carrying its own X-SOGS-* headers) goes to the dispatcher.
import { Module } from '@nestjs/common';
import { OnionEndpoint, type OnionOutcome, type OnionVersion } from '@starling/onion-server';
import { Dispatcher } from '../http/dispatcher';
import { HttpModule } from '../http/http.module';
import { OpenGroupsMetrics, type OnionRejection } from '../ops/metrics';
import { SERVER_KEYS, type ServerKeys } from '../settings';
import { OnionRoutes } from './onion.routes';

/** Rejection reasons by onion outcome (a v3 request that decrypts but does not parse is not counted, as before). */
function rejection(version: OnionVersion, outcome: OnionOutcome): OnionRejection | undefined {
  if (outcome === 'bad_ciphertext') return 'onion_undecryptable';
  if (outcome === 'bad_request' && version === 'v4') return 'onion_bad_v4';
  return undefined;
}

@Module({
  imports: [HttpModule],
  providers: [
    {
      provide: OnionEndpoint,
      inject: [SERVER_KEYS, Dispatcher, OpenGroupsMetrics],
      useFactory: (keys: ServerKeys, dispatcher: Dispatcher, metrics: OpenGroupsMetrics) =>
        new OnionEndpoint({
          keys,
          legacyPrefix: '/legacy/',
          dispatch: (req) => dispatcher.handle(req, 'onion'),
          observe: (version, outcome) => {
            const reason = rejection(version, outcome);
            if (reason) metrics.rejections.inc({ reason });
          },
        }),
    },
    OnionRoutes,
  ],
})
export class OnionModule {}
