// A service's hottest routes answered straight off node's HTTP server, in front of Fastify (and
// Nest): their per-request machinery (router, hooks, a body parser making an AsyncResource per
// request, the reply pipeline) can cost as much CPU as the work itself. Everything else still goes
// to Fastify, which keeps the ops routes, the 404s and its connection settings.
import { createServer, type IncomingMessage, type RequestListener, type Server, type ServerResponse } from 'http';

/** The connection settings Fastify hands its serverFactory, with its defaults filled in. */
interface FastifyServerOptions {
  keepAliveTimeout?: number;
  requestTimeout?: number;
  connectionTimeout?: number;
  maxRequestsPerSocket?: number | null;
}

/**
 * A Fastify `serverFactory`: a server whose requests go to `front`, which answers the ones it
 * serves and passes the others to Fastify's own listener. The server gets the connection
 * settings Fastify would give a server it made itself.
 */
export function frontServerFactory(front: (fastify: RequestListener) => RequestListener) {
  return (fastify: RequestListener, options: FastifyServerOptions): Server => {
    const server = createServer(front(fastify));
    if (options.keepAliveTimeout !== undefined) server.keepAliveTimeout = options.keepAliveTimeout;
    if (options.requestTimeout !== undefined) server.requestTimeout = options.requestTimeout;
    if (options.connectionTimeout) server.setTimeout(options.connectionTimeout);
    if (options.maxRequestsPerSocket) server.maxRequestsPerSocket = options.maxRequestsPerSocket;
    return server;
  };
}

export interface CappedBodyHandlers {
  /** The whole body, once it has arrived within the cap. */
  onBody(body: Buffer): void;
  /** The body is, or announces itself as, over the cap: answer now (whatever else arrives is dropped). */
  onTooLarge(): void;
}

/** Reads a request body, refusing it as soon as it is known to exceed `maxBytes`. */
export function readCappedBody(req: IncomingMessage, maxBytes: number, handlers: CappedBodyHandlers): void {
  const chunks: Buffer[] = [];
  let size = 0;
  let refused = false;
  const refuse = (): void => {
    refused = true;
    chunks.length = 0;
    handlers.onTooLarge();
  };
  req.on('error', () => undefined); // an aborted upload: nobody to answer
  if (Number(req.headers['content-length'] ?? 0) > maxBytes) return refuse();
  req.on('data', (chunk: Buffer) => {
    if (refused) return;
    size += chunk.length;
    if (size > maxBytes) refuse();
    else chunks.push(chunk);
  });
  req.on('end', () => {
    if (!refused) handlers.onBody(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size));
  });
}

/** Writes a whole answer with its length, unless the client has gone away. */
export function sendAnswer(res: ServerResponse, status: number, headers: Record<string, string>, body: Uint8Array): void {
  if (res.destroyed) return;
  res.writeHead(status, { ...headers, 'content-length': body.byteLength });
  res.end(body);
}
