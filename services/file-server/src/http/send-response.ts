// Writes a dispatcher response through Fastify, byte for byte: the content type set here is the
// one sent (Fastify would add "; charset=utf-8" to JSON it serialises itself).
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FileResponse } from '../files/file-routes';

/** The request body as chunks; stopping early leaves the socket open so an answer can be sent. */
export function requestBody(req: FastifyRequest): AsyncIterable<Uint8Array> {
  return req.raw.iterator({ destroyOnReturn: false });
}

/** Unread upload bytes discarded after a refusal before the connection is cut instead. */
const DRAIN_LIMIT_BYTES = 1024 * 1024;

export async function sendResponse(req: FastifyRequest, reply: FastifyReply, res: FileResponse): Promise<void> {
  // Answered before the body arrived (refused upload, bad TTL, wrong method): do not read it all.
  if (!req.raw.complete) discardUnreadBody(req, reply);
  await reply.code(res.status).headers(res.headers).send(res.body);
}

/** Answers outside a route handler (framework errors), where no request body matters. */
export function sendJson(reply: FastifyReply, res: FileResponse): FastifyReply {
  return reply.code(res.status).headers(res.headers).send(res.body);
}

/**
 * The rest of an unread body is discarded as it arrives (never buffered) so the client can read
 * the answer; past DRAIN_LIMIT_BYTES the connection is cut. The connection is not reused.
 */
export function discardUnreadBody(req: FastifyRequest, reply: FastifyReply): void {
  reply.header('connection', 'close');
  const raw = req.raw;
  if (raw.readableEnded) return;
  let discarded = 0;
  raw.on('data', (chunk: Buffer) => {
    discarded += chunk.length;
    if (discarded > DRAIN_LIMIT_BYTES) raw.socket.destroy();
  });
  raw.resume();
}
