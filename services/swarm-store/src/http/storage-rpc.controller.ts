// Direct HTTP access: POST /storage_rpc/v1 (JSON-RPC, rate-limited per client) and
// POST /ping_test/v1 (reachability, answering with the node's key in X-Oxen-Snode-Pubkey).
// The body arrives as raw text (see http-app.ts) so every malformed body gets a 400 with a reason.
import { Controller, Inject, Post, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { methodLabel } from '../grpc/swarm-store-grpc';
import { stringifyAnswer } from '../rpc/answer-json';
import { parseRpcJson } from '../rpc/json-body';
import type { RpcResult } from '../rpc/method';
import { isObject } from '../rpc/params';
import type { StorageCore } from '../storage-core';
import type { ClientRateLimit } from './client-rate-limit';

export const STORAGE_CORE = Symbol('StorageCore');
export const RATE_LIMIT = Symbol('ClientRateLimit');

@Controller()
export class StorageRpcController {
  constructor(
    @Inject(STORAGE_CORE) private readonly core: StorageCore,
    @Inject(RATE_LIMIT) private readonly rateLimit: ClientRateLimit,
  ) {}

  @Post('storage_rpc/v1')
  async storageRpc(@Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const now = Date.now();
    let result: RpcResult;
    let method: unknown;
    if (req.headers['x-loki-long-poll'] !== undefined) {
      result = { status: 410, body: 'long polling is no longer supported, use short polling' };
    } else if (!(await this.rateLimit.allow(req.socket.remoteAddress))) {
      this.core.metrics.rateLimited.inc();
      result = { status: 429, body: 'Too many requests, try again later' };
    } else {
      const parsed = parseRpcJson(typeof req.body === 'string' ? req.body : '');
      if (parsed.ok && isObject(parsed.value)) method = parsed.value.method;
      result = parsed.ok ? await this.core.dispatcher.handleRequest(parsed.value, { nowMs: now, forwarded: false }) : { status: 400, body: parsed.error };
    }
    this.core.metrics.rpcRequests.inc({ method: methodLabel(method), status: String(result.status), transport: 'http' });
    await send(reply, result);
  }

  @Post('ping_test/v1')
  async pingTest(@Res() reply: FastifyReply): Promise<void> {
    const key = Buffer.from(this.core.identity.ed25519Hex, 'hex').toString('base64');
    await reply.code(200).header('X-Oxen-Snode-Pubkey', key).header('content-type', 'text/plain').send('');
  }
}

/** JSON bodies with content type exactly application/json (clients compare it), text otherwise. */
export function send(reply: FastifyReply, result: RpcResult): FastifyReply {
  if (typeof result.body === 'string') {
    return reply.code(result.status).header('content-type', 'text/plain; charset=utf-8').send(result.body);
  }
  // A Buffer, because Fastify appends "; charset=utf-8" to the content type of string payloads.
  return reply.code(result.status).header('content-type', 'application/json').send(Buffer.from(stringifyAnswer(result.body)));
}
