// POST /onion_req/v2, the route every onion layer from a client enters by, answered straight off
// node's HTTP server in front of Fastify; every other request goes on to Fastify (and Nest). On
// this one route Fastify's per-request machinery (routing, Nest's hooks, a body parser that makes
// an AsyncResource per request, the reply pipeline) cost a guard about as much CPU as peeling
// the layer: serving it here took a guard from ~2,300-3,900 to ~5,800-6,600 requests per
// CPU-second in the relay-throughput bench. Same body limit, admission, answers and metrics.
import type { IncomingMessage, RequestListener, ServerResponse } from 'http';
import { readCappedBody, sendAnswer, type HttpMetrics } from '@starling/platform';
import type { RelayContext } from '../relay-context';

export const ONION_ROUTE = '/onion_req/v2';

/** The parts of the relay this route uses. */
type OnionRelay = Pick<RelayContext, 'router' | 'admission' | 'metrics'>;

export interface OnionRouteOptions {
  relay: OnionRelay;
  /** The edge's RED metrics, recorded under the route template as Fastify's hook does. */
  http: HttpMetrics;
  maxBodyBytes: number;
}

/** A request listener that serves the onion route and hands everything else to `next`. */
export function withOnionRoute(options: OnionRouteOptions, next: RequestListener): RequestListener {
  return (req, res) => {
    if (req.method === 'POST' && isOnionPath(req.url)) serveOnionRequest(options, req, res);
    else next(req, res);
  };
}

function isOnionPath(url: string | undefined): boolean {
  return url === ONION_ROUTE || (url !== undefined && url.startsWith(`${ONION_ROUTE}?`));
}

function serveOnionRequest({ relay, http, maxBodyBytes }: OnionRouteOptions, req: IncomingMessage, res: ServerResponse): void {
  const started = process.hrtime.bigint();
  const answer = (status: number, contentType: string, body: Uint8Array, headers: Record<string, string> = {}): void => {
    http.observe(ONION_ROUTE, 'POST', status, Number(process.hrtime.bigint() - started) / 1e9);
    sendAnswer(res, status, { 'content-type': contentType, ...headers }, body);
  };
  readCappedBody(req, maxBodyBytes, {
    onTooLarge: () => answer(413, 'text/plain; charset=utf-8', Buffer.from('Request body is too large'), { connection: 'close' }),
    onBody: (body) =>
      void peelAdmitted(relay, req, body).then(
        (reply) => answer(reply.status, reply.contentType, reply.body, reply.headers),
        () => answer(500, 'text/plain; charset=utf-8', Buffer.from('Internal error')),
      ),
  });
}

interface Reply {
  status: number;
  contentType: string;
  body: Uint8Array;
  headers?: Record<string, string>;
}

/** Admission, then one hop of the onion; the client address is used for the rate limit only. */
async function peelAdmitted(relay: OnionRelay, req: IncomingMessage, body: Buffer): Promise<Reply> {
  const admission = await relay.admission.admit(req.socket.remoteAddress ?? '');
  if (!admission.admitted) {
    relay.metrics.rejections.inc({ reason: admission.reason });
    const headers = admission.retryAfterMs ? { 'retry-after': String(Math.ceil(admission.retryAfterMs / 1000)) } : undefined;
    return { status: admission.status, contentType: 'text/plain; charset=utf-8', body: Buffer.from(admission.message), headers };
  }
  try {
    const started = process.hrtime.bigint();
    const outcome = await relay.router.handle(body);
    relay.metrics.record('http', outcome.outcome, Number(process.hrtime.bigint() - started) / 1e9);
    return outcome;
  } finally {
    admission.release();
  }
}
