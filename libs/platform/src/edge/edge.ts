// The one public listener of a service: HTTP/1.1 (over TLS unless an operator turns it off) with
// keep-alive, routing to plain handlers with no per-request framework machinery. It owns what
// every route needs the same way: body caps (413 before a byte of an oversized body is kept),
// timeouts for slow clients, 503 while closing, draining, and the latency metrics of every route.
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'http';
import { createServer as createHttpsServer } from 'https';
import type { AddressInfo } from 'net';
import type { Logger } from 'pino';
import { UNMATCHED_ROUTE, type HttpMetrics } from '../metrics';
import { announcedLength, readCappedBody } from './body';
import { textReply, type Reply } from './reply';
import { ExactRoutes, splitTarget, type EdgeRequest, type ExactRoute, type MethodNotAllowed, type ResolvedRoute, type RouteTable } from './routes';

export interface EdgeTls {
  /** PEM private key and certificate. */
  key: string | Buffer;
  cert: string | Buffer;
}

export interface EdgeTimeouts {
  /** Time a client has to send the request headers (and, under TLS, to finish the handshake). */
  headersMs: number;
  /** Time a client has to send a whole request, body included: a trickling sender is cut off. */
  requestMs: number;
  /** An idle keep-alive connection is closed after this. */
  keepAliveMs: number;
}

export const DEFAULT_EDGE_TIMEOUTS: EdgeTimeouts = { headersMs: 10_000, requestMs: 30_000, keepAliveMs: 5_000 };

export interface EdgeOptions {
  host: string;
  /** 0 picks a free port. */
  port: number;
  /** HTTPS when given; plain HTTP only where an operator asks for it. */
  tls?: EdgeTls;
  /** Body cap of a route that does not set its own. */
  maxBodyBytes: number;
  timeouts?: Partial<EdgeTimeouts>;
  /** Open connections beyond this are refused (each costs memory and a descriptor). */
  maxConnections?: number;
  /** The answer to a request no route serves (each protocol words its 404 its own way). */
  notFound?: (req: EdgeRequest) => Reply;
  /** The answer to a known path asked with a method it does not serve (default: 405 with Allow). */
  methodNotAllowed?: MethodNotAllowed;
  /** The answer to a body over its route's cap. */
  tooLarge?: () => Reply;
}

const SERVICE_UNAVAILABLE = (): Reply => textReply(503, 'Service unavailable', { connection: 'close' });
const INTERNAL_ERROR = (): Reply => textReply(500, 'Internal server error');

export class Edge {
  private readonly exact: ExactRoutes;
  private readonly tables: RouteTable[];
  private readonly server: Server;
  private closing: Promise<void> | undefined;
  private draining = false;

  constructor(
    private readonly options: EdgeOptions,
    private readonly logger: Logger,
    private readonly metrics?: HttpMetrics,
  ) {
    this.exact = new ExactRoutes(options.methodNotAllowed);
    this.tables = [this.exact];
    const timeouts = { ...DEFAULT_EDGE_TIMEOUTS, ...options.timeouts };
    const serverOptions = {
      // Request and header deadlines are enforced by a sweep over open connections at this interval.
      connectionsCheckingInterval: Math.min(1_000, timeouts.headersMs),
      headersTimeout: timeouts.headersMs,
      requestTimeout: timeouts.requestMs,
      keepAliveTimeout: timeouts.keepAliveMs,
    };
    const listener = (req: IncomingMessage, res: ServerResponse) => this.serve(req, res);
    this.server = options.tls
      ? createHttpsServer({ ...serverOptions, key: options.tls.key, cert: options.tls.cert, handshakeTimeout: timeouts.headersMs }, listener)
      : createHttpServer(serverOptions, listener);
    this.server.keepAliveTimeout = timeouts.keepAliveMs;
    if (options.maxConnections) this.server.maxConnections = options.maxConnections;
    // A client announcing an oversized body is refused before it sends it.
    this.server.on('checkContinue', (req: IncomingMessage, res: ServerResponse) => {
      if (announcedLength(req) > this.resolve(req).maxBodyBytes!) return this.serve(req, res);
      res.writeContinue();
      this.serve(req, res);
    });
    this.server.on('clientError', (err: NodeJS.ErrnoException, socket) => {
      // Malformed requests, timeouts, resets: Node's own 400/408/431 answers, never a log line
      // that could carry who sent it.
      if (socket.writable && !socket.destroyed && err.code !== 'ECONNRESET') {
        const status = err.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : err.code === 'HPE_HEADER_OVERFLOW' ? 431 : 400;
        socket.end(`HTTP/1.1 ${status} ${status === 408 ? 'Request Timeout' : status === 431 ? 'Request Header Fields Too Large' : 'Bad Request'}\r\nconnection: close\r\ncontent-length: 0\r\n\r\n`);
      } else socket.destroy();
    });
  }

  /** Adds routes by exact path. */
  route(...routes: ExactRoute[]): this {
    this.exact.add(...routes);
    return this;
  }

  /** Adds a table that resolves paths itself; tables are asked in the order they were mounted. */
  mount(table: RouteTable): this {
    this.tables.push(table);
    return this;
  }

  async listen(): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.options.port, this.options.host, () => {
        this.server.off('error', reject);
        resolve();
      });
    });
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  get scheme(): 'http' | 'https' {
    return this.options.tls ? 'https' : 'http';
  }

  /** `scheme://host:port` as bound. */
  get url(): string {
    const host = this.options.host === '0.0.0.0' || this.options.host === '::' ? '127.0.0.1' : this.options.host;
    return `${this.scheme}://${host.includes(':') ? `[${host}]` : host}:${this.port}`;
  }

  get listening(): boolean {
    return this.server.listening;
  }

  /**
   * The service is leaving (readiness already fails) but still serves: from now on every answer
   * closes its connection, so that a keep-alive client comes back through its load balancer, which
   * sends it to a ready replica. Without it, clients would stay on the connections they hold until
   * close() cuts them, racing their next request.
   */
  drain(): void {
    this.draining = true;
  }

  /**
   * Stops accepting; requests in progress finish, later ones on open connections get 503; idle
   * connections close at once and whatever is still open after `graceMs` is cut.
   */
  close(graceMs = 5_000): Promise<void> {
    this.closing ??= new Promise<void>((resolve) => {
      if (!this.server.listening) return resolve();
      const idle = setInterval(() => this.server.closeIdleConnections(), 100);
      const cut = setTimeout(() => this.server.closeAllConnections(), graceMs);
      this.server.close(() => {
        clearInterval(idle);
        clearTimeout(cut);
        resolve();
      });
      this.server.closeIdleConnections();
    });
    return this.closing;
  }

  private resolve(req: IncomingMessage): Required<Pick<ResolvedRoute, 'maxBodyBytes'>> & ResolvedRoute {
    const { path } = splitTarget(req.url ?? '/');
    const method = req.method ?? 'GET';
    for (const table of this.tables) {
      const found = table.resolve(method, path);
      if (found) return { ...found, maxBodyBytes: found.maxBodyBytes ?? this.options.maxBodyBytes };
    }
    const notFound = this.options.notFound ?? (() => textReply(404, 'Not Found'));
    return { route: UNMATCHED_ROUTE, maxBodyBytes: this.options.maxBodyBytes, handle: notFound };
  }

  private serve(req: IncomingMessage, res: ServerResponse): void {
    const started = process.hrtime.bigint();
    const method = req.method ?? 'GET';
    const resolved = this.resolve(req);
    const answer = (reply: Reply): void => {
      this.metrics?.observe(resolved.route, method, reply.status, Number(process.hrtime.bigint() - started) / 1e9);
      writeReply(res, this.draining ? { ...reply, headers: { ...reply.headers, connection: 'close' } } : reply);
    };
    if (this.closing) return answer(SERVICE_UNAVAILABLE());
    readCappedBody(req, resolved.maxBodyBytes, {
      onTooLarge: () => answer(this.options.tooLarge?.() ?? textReply(413, 'Request body is too large')),
      onBody: (body) => {
        const request: EdgeRequest = { method, ...splitTarget(req.url ?? '/'), headers: flatHeaders(req), body, peer: req.socket.remoteAddress };
        let pending: Reply | Promise<Reply>;
        try {
          pending = resolved.handle(request);
        } catch (err) {
          pending = Promise.reject(err);
        }
        void Promise.resolve(pending).then(answer, (err: unknown) => {
          // The route and the error say enough: never the request, never who sent it.
          this.logger.error({ route: resolved.route, err }, 'request failed');
          answer(INTERNAL_ERROR());
        });
      },
    });
  }
}

/** Writes a whole answer with its length, unless the client has gone away. */
export function writeReply(res: ServerResponse, reply: Reply): void {
  if (res.destroyed || res.headersSent) return;
  res.writeHead(reply.status, { ...reply.headers, 'content-length': reply.body.byteLength });
  res.end(reply.body);
}

function flatHeaders(req: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return headers;
}
