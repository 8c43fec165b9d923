// Onion requests addressed to this server (sogs-fileserver 3): the shared endpoint decrypts them
// with the server's X25519 key and runs the inner request through the same API routes as direct HTTP.
import { Inject, Injectable, Module, type OnModuleInit } from '@nestjs/common';
import { MAX_ONION_REQUEST_BYTES } from '@starling/crypto';
import { OnionEndpoint } from '@starling/onion-server';
import { FileServerRouter } from '../http/router';
import { FileServerMetrics } from '../metrics';
import { SERVER_IDENTITY, serverIdentityProvider, type ServerIdentity } from './server-key';

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
    serverIdentityProvider,
    {
      provide: OnionEndpoint,
      inject: [SERVER_IDENTITY, FileServerRouter, FileServerMetrics],
      useFactory: (identity: ServerIdentity, router: FileServerRouter, metrics: FileServerMetrics) =>
        new OnionEndpoint({
          keys: identity.x25519,
          dispatch: (req) => router.dispatch(req),
          // The file server's old endpoints had no leading slash.
          legacyPrefix: '/',
          observe: (version, outcome) => metrics.onion(version, outcome),
        }),
    },
    OnionRoutes,
  ],
  exports: [SERVER_IDENTITY],
})
export class OnionModule {}
