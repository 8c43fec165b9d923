// POST /oxen/v4/lsrpc (and the v3 aliases): the shared onion endpoint (@starling/onion-server),
// whose inner requests run through the same dispatcher as direct HTTP. Its routes sit in the one
// route table, like every other route of the server.
import { Injectable, type OnModuleInit } from '@nestjs/common';
import { OnionEndpoint } from '@starling/onion-server';
import { Router } from '../http/router';
import type { Method } from '../http/types';
import { MAX_BODY_BYTES } from '../settings';

@Injectable()
export class OnionRoutes implements OnModuleInit {
  constructor(
    private readonly router: Router,
    private readonly endpoint: OnionEndpoint,
  ) {}

  onModuleInit(): void {
    for (const route of this.endpoint.routes(MAX_BODY_BYTES)) {
      this.router.add({ method: route.method as Method, pattern: route.path, nests: 'onion', handler: async ({ req }) => route.handle(req) });
    }
  }
}
