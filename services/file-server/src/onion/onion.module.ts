// Onion requests addressed to this server (sogs-fileserver 3): the shared endpoint decrypts them
// with the server key and runs the inner request through the same API routes as direct HTTP.
import { Inject, Injectable, Module, type OnModuleInit } from '@nestjs/common';
import { MAX_ONION_REQUEST_BYTES, type X25519KeyPair } from '@starling/crypto';
import { OnionEndpoint } from '@starling/onion-server';
import { FileServerRouter } from '../http/router';
import { FileServerMetrics } from '../metrics';
import { SERVER_KEY, serverKeyProvider } from './server-key';

/** Puts /oxen/v4/lsrpc, /oxen/v3/lsrpc and /loki/v3/lsrpc on the router. */
@Injectable()
class OnionRoutes implements OnModuleInit {
  constructor(
    private readonly router: FileServerRouter,
    @Inject(OnionEndpoint) private readonly endpoint: OnionEndpoint,
  ) {}

  onModuleInit(): void {
    this.router.addEndpoints(this.endpoint.routes(MAX_ONION_REQUEST_BYTES));
  }
}

@Module({
  providers: [
    serverKeyProvider,
    {
      provide: OnionEndpoint,
      inject: [SERVER_KEY, FileServerRouter, FileServerMetrics],
      useFactory: (keys: X25519KeyPair, router: FileServerRouter, metrics: FileServerMetrics) =>
        new OnionEndpoint({
          keys,
          dispatch: (req) => router.dispatch(req),
          // The file server's old endpoints had no leading slash.
          legacyPrefix: '/',
          observe: (version, outcome) => metrics.onion(version, outcome),
        }),
    },
    OnionRoutes,
  ],
  exports: [SERVER_KEY],
})
export class OnionModule {}
