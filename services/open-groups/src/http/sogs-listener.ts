// SOGS requests are answered straight off node's HTTP server, in front of Fastify (and Nest): the
// dispatcher does all SOGS routing itself, so Fastify's per-request machinery only added CPU to
// every poll (see libs/platform front-http.ts). Fastify still serves
// the ops routes (/healthz, /readyz, /metrics) and methods SOGS does not use (404 there).
import type { IncomingMessage, RequestListener, ServerResponse } from 'http';
import { readCappedBody, sendAnswer } from '@starling/platform';
import type { Dispatcher } from './dispatcher';
import { Method, SogsResponse, splitTarget, TEXT_TYPE, textResponse } from './types';

/** HEAD reaches the dispatcher too (405 there, as when Fastify exposed HEAD for GET routes). */
const SOGS_METHODS = new Set(['GET', 'POST', 'PUT', 'DELETE', 'HEAD']);
/** The routes mountOpsRoutes puts on Fastify. */
const FASTIFY_PATHS = new Set(['/healthz', '/readyz', '/metrics']);

export interface SogsListenerOptions {
  dispatcher: Dispatcher;
  maxBodyBytes: number;
  /** Called for each body refused as too large (a rejection metric). */
  onTooLarge: () => void;
  /** True once the server is shutting down: requests on open connections get 503 and a close. */
  closing: () => boolean;
}

/** A request listener that serves SOGS requests and hands everything else to `next` (Fastify). */
export function withSogsRoutes(options: SogsListenerOptions, next: RequestListener): RequestListener {
  return (req, res) => {
    if (!SOGS_METHODS.has(req.method!) || FASTIFY_PATHS.has(pathOf(req.url!))) return next(req, res);
    if (options.closing()) {
      res.writeHead(503, { 'content-type': TEXT_TYPE, connection: 'close' });
      return void res.end('Service unavailable');
    }
    serve(options, req, res);
  };
}

function pathOf(url: string): string {
  const q = url.indexOf('?');
  return q < 0 ? url : url.slice(0, q);
}

function serve({ dispatcher, maxBodyBytes, onTooLarge }: SogsListenerOptions, req: IncomingMessage, res: ServerResponse): void {
  const answer = (reply: SogsResponse, extra: Record<string, string> = {}): void => sendAnswer(res, reply.status, { ...reply.headers, ...extra }, reply.body);
  readCappedBody(req, maxBodyBytes, {
    onTooLarge: () => {
      onTooLarge();
      answer(textResponse('Request too large', 413), { connection: 'close' });
    },
    onBody: (body) => {
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers[k] = v;
      dispatcher.handle({ method: req.method as Method, ...splitTarget(req.url!), headers, body }, 'http').then(
        (reply) => answer(reply),
        () => answer(textResponse('Internal server error', 500)),
      );
    },
  });
}
