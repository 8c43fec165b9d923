// A service's hottest routes answered straight off node's HTTP server, in front of Fastify (and
// Nest): their per-request machinery (router, hooks, a body parser making an AsyncResource per
// request, the reply pipeline) can cost as much CPU as the work itself. Everything else still goes
// to Fastify, which keeps the ops routes, the 404s and its connection settings.
import { createServer, type RequestListener, type Server, type ServerResponse } from 'http';

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

/** Writes a whole answer with its length, unless the client has gone away. */
export function sendAnswer(res: ServerResponse, status: number, headers: Record<string, string>, body: Uint8Array): void {
  if (res.destroyed) return;
  res.writeHead(status, { ...headers, 'content-length': body.byteLength });
  res.end(body);
}
