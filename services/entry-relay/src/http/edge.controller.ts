// The relay's public HTTP surface besides POST /onion_req/v2 (onion-route.ts, in front of
// Fastify): the direct calls a client makes to a guard. Client addresses are used for admission
// only, in memory, and never logged: there is no request logging at all on this edge.
import { Controller, Inject, Post, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { RELAY_CONTEXT, RelayContext } from '../relay-context';

@Controller()
export class EdgeController {
  constructor(@Inject(RELAY_CONTEXT) private readonly relay: RelayContext) {}

  @Post('storage_rpc/v1')
  async storageRpc(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    await this.admitted(request, reply, async () => {
      const result = await this.relay.guardRpc.call(bodyBytes(request));
      const type = result.status < 300 ? 'application/json' : 'text/plain; charset=utf-8';
      // A Buffer, so that Fastify does not append a charset: Session clients compare the type exactly.
      await reply.code(result.status).header('content-type', type).send(Buffer.from(result.body, 'utf8'));
    });
  }

  @Post('ping_test/v1')
  async pingTest(@Res() reply: FastifyReply): Promise<void> {
    const key = Buffer.from(this.relay.pubkeyEd25519, 'hex').toString('base64');
    await reply.code(200).header('x-oxen-snode-pubkey', key).header('content-type', 'text/plain; charset=utf-8').send('pong');
  }

  /** Runs `handle` if the client is within its rate and the relay has room; answers otherwise. */
  private async admitted(request: FastifyRequest, reply: FastifyReply, handle: () => Promise<void>): Promise<void> {
    const admission = await this.relay.admission.admit(request.ip);
    if (!admission.admitted) {
      this.relay.metrics.rejections.inc({ reason: admission.reason });
      if (admission.retryAfterMs) reply.header('retry-after', String(Math.ceil(admission.retryAfterMs / 1000)));
      await reply.code(admission.status).header('content-type', 'text/plain; charset=utf-8').send(admission.message);
      return;
    }
    try {
      await handle();
    } finally {
      admission.release();
    }
  }
}

function bodyBytes(request: FastifyRequest): Uint8Array {
  return Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
}
