// POST /json_rpc: the seed API. The body is read as text (any content type, as oxend accepts it)
// and the answer's Content-Type is exactly `application/json`: Session clients compare the
// header as a string, and Fastify adds `; charset=utf-8` to string payloads (not to Buffers).
import { Controller, Inject, Post, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { MapFeed } from '../map/map-feed';
import { answerSeedRequest } from '../seed/seed-api';
import { cryptoRandom } from '../swarms/random-source';

export const MAP_FEED = Symbol('MapFeed');

@Controller()
export class SeedController {
  constructor(@Inject(MAP_FEED) private readonly feed: MapFeed) {}

  @Post('json_rpc')
  jsonRpc(@Req() request: FastifyRequest, @Res() reply: FastifyReply): void {
    const body = typeof request.body === 'string' ? request.body : '';
    const answer = answerSeedRequest(body, this.feed.current, cryptoRandom);
    void reply.code(answer.status).header('content-type', 'application/json').send(Buffer.from(JSON.stringify(answer.body)));
  }
}
