// HTTP endpoints the exit relay POSTs onion requests to (storage-onion.md 3.6).
import { Controller, HttpCode, Inject, Post, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { MAX_ONION_REQUEST_BYTES } from '@starling/crypto';
import type { Logger } from '@starling/platform';
import { errorSummary } from '../files/file-routes';
import { OnionHandler, type OnionHttpReply } from './onion-handler';

export const ONION_LOGGER = Symbol('onion logger');
import { BodyTooLarge, readCapped } from './read-capped';
import { requestBody, sendResponse } from '../http/send-response';

@Controller()
export class OnionController {
  constructor(
    @Inject(OnionHandler) private readonly onion: OnionHandler,
    @Inject(ONION_LOGGER) private readonly log: Logger,
  ) {}

  @Post('oxen/v4/lsrpc')
  @HttpCode(200)
  async v4(@Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    await this.answer(req, reply, (body) => this.onion.handleV4(body));
  }

  @Post(['oxen/v3/lsrpc', 'loki/v3/lsrpc'])
  @HttpCode(200)
  async v3(@Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    await this.answer(req, reply, (body) => this.onion.handleV3(body));
  }

  private async answer(req: FastifyRequest, reply: FastifyReply, handle: (body: Uint8Array) => Promise<OnionHttpReply>): Promise<void> {
    let body: Buffer;
    try {
      body = await readCapped(requestBody(req), MAX_ONION_REQUEST_BYTES);
    } catch (err) {
      if (!(err instanceof BodyTooLarge)) throw err;
      const headers = { 'content-type': 'text/plain; charset=utf-8' };
      return sendResponse(req, reply, { status: 413, headers, body: Buffer.from('Onion request too large', 'utf8') });
    }
    let answer: OnionHttpReply;
    try {
      answer = await handle(body);
    } catch (err) {
      // The dispatcher answers its own failures; this is a bug in the onion layer itself.
      this.log.error({ err: errorSummary(err) }, 'onion request failed');
      answer = { status: 500, contentType: 'text/plain; charset=utf-8', body: Buffer.from('Internal server error', 'utf8') };
    }
    await reply.code(answer.status).header('content-type', answer.contentType).send(answer.body);
  }
}
