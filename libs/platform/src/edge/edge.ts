// The one public listener of a service: HTTP/1.1 (over TLS unless an operator turns it off) with
// keep-alive, routing to plain handlers with no per-request framework machinery. It owns what
// every route needs the same way: body caps (413 before a byte of an oversized body is kept),
// timeouts for slow clients, 503 while closing, draining, and the latency metrics of every route.
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'http';
import { createServer as createHttpsServer } from 'https';
import type { AddressInfo } from 'net';
import { Readable, type Duplex } from 'stream';
import type { Logger } from 'pino';
import { UNMATCHED_ROUTE, type HttpMetrics } from '../metrics';
import { announcedLength, readCappedBody, type BodyProgress } from './body';
import { defaultMaxConnections } from './connection-limit';
import { isReset, refuseConnection, statusForClientError } from './malformed';
import { DEFAULT_ANSWER_PACE, DEFAULT_BODY_PACE, TransferSweep, type TransferPace } from './slow-transfers';
import { textReply, type BodySource, type Reply } from './reply';
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
  /** The slowest a request body may arrive and an answer may leave (slow-transfers.ts). */
  bodyPace?: Partial<TransferPace>;
  answerPace?: Partial<TransferPace>;
  /**
   * Open connections beyond this are refused (each costs memory and a descriptor). Default: what
   * the process's open-file limit leaves room for, at most DEFAULT_MAX_CONNECTIONS.
   */
  maxConnections?: number;
  /** The answer to a request no route serves (each protocol words its 404 its own way). */
  notFound?: (req: EdgeRequest) => Reply;
  /** The answer to a known path asked with a method it does not serve (default: 405 with Allow). */
  methodNotAllowed?: MethodNotAllowed;
  /** The answer to a body over its route's cap. */
  tooLarge?: () => Reply;
}

/**
 * Connections the kernel completes and queues for the edge to accept. Node's default (511) drops
 * the handshakes of a burst of clients, which then wait a second or more for their retry; the
 * kernel caps this at net.core.somaxconn.
 */
const LISTEN_BACKLOG = 4096;

const BODY_TOO_SLOW = (): Reply => textReply(408, 'Request body arrived too slowly', { connection: 'close' });
const SERVICE_UNAVAILABLE = (): Reply => textReply(503, 'Service unavailable', { connection: 'close' });
const INTERNAL_ERROR = (): Reply => textReply(500, 'Internal server error');

export class Edge {
  private readonly exact: ExactRoutes;
  private readonly tables: RouteTable[];
  private readonly server: Server;
  private readonly slow = new TransferSweep();
  private readonly bodyPace: TransferPace;
  private readonly answerPace: TransferPace;
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
    this.server.maxConnections = options.maxConnections ?? defaultMaxConnections();
    this.server.on('drop', () => metrics?.droppedConnections.inc());
    this.bodyPace = { ...DEFAULT_BODY_PACE, ...options.bodyPace };
    this.answerPace = { ...DEFAULT_ANSWER_PACE, ...options.answerPace };
    // A client announcing an oversized body is refused before it sends it.
    this.server.on('checkContinue', (req: IncomingMessage, res: ServerResponse) => {
      if (announcedLength(req) > this.resolve(req).maxBodyBytes!) return this.serve(req, res);
      res.writeContinue();
      this.serve(req, res);
    });
    // Malformed requests, timeouts, resets: Node's own 400/408/431 answers, never a log line that
    // could carry who sent it. Tunnels are no route of any Starling service.
    this.server.on('clientError', (err: NodeJS.ErrnoException, socket: Duplex) => {
      if (isReset(err)) socket.destroy();
      else refuseConnection(socket, statusForClientError(err));
    });
    this.server.on('connect', (_req: IncomingMessage, socket: Duplex) => refuseConnection(socket, 405));
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
      this.server.listen({ port: this.options.port, host: this.options.host, backlog: LISTEN_BACKLOG }, () => {
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

  /** Connections open now. */
  connectionCount(): Promise<number> {
    return new Promise((resolve, reject) => this.server.getConnections((err, count) => (err ? reject(err) : resolve(count))));
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
        this.slow.close();
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

  /**
   * An answer Node could not hand to the kernel at once waits on the client to read it (and
   * answers to requests pipelined behind it wait in Node): a client that does not read, or reads
   * too slowly, is cut off and what waited for it is freed.
   */
  private watchAnswer(res: ServerResponse, socket: IncomingMessage['socket'], unwritten: boolean): void {
    // Most answers are with the kernel by now: nothing waits on the client.
    if (res.writableFinished || socket.destroyed || (!unwritten && res.writableLength === 0 && socket.writableLength === 0)) return;
    // Bytes whose write completed: writeReply hands a large body over in slices, so this moves as
    // the client reads, not only once the whole answer is out.
    const flushed = () => socket.bytesWritten - socket.writableLength;
    const watch = this.slow.watch(this.answerPace, flushed, () => socket.destroy());
    res.once('finish', () => watch.done());
    res.once('close', () => watch.done());
  }

  private serve(req: IncomingMessage, res: ServerResponse): void {
    const started = process.hrtime.bigint();
    const method = req.method ?? 'GET';
    const resolved = this.resolve(req);
    // Answered, or the client is gone: a streaming route's handler may still settle after that.
    let settled = false;
    const answer = (reply: Reply): void => {
      if (settled) return void reply.source?.close();
      settled = true;
      this.metrics?.observe(resolved.route, method, reply.status, Number(process.hrtime.bigint() - started) / 1e9);
      const onSourceError = (err: unknown) => this.logger.error({ route: resolved.route, err }, 'answer body failed');
      const rest = writeReply(res, this.draining ? { ...reply, headers: { ...reply.headers, connection: 'close' } } : reply, onSourceError);
      this.watchAnswer(res, req.socket, rest);
    };
    if (this.closing) return answer(SERVICE_UNAVAILABLE());
    const run = (body: Buffer, bodyParts?: AsyncIterable<Buffer>): void => {
      const request: EdgeRequest = { method, ...splitTarget(req.url ?? '/'), headers: flatHeaders(req), body, bodyParts, peer: req.socket.remoteAddress };
      let pending: Reply | Promise<Reply>;
      try {
        pending = resolved.handle(request);
      } catch (err) {
        pending = Promise.reject(err);
      }
      void Promise.resolve(pending).then(answer, (err: unknown) => {
        if (settled) return; // the body was refused or abandoned, which was answered (or nobody is left)
        // The route and the error say enough: never the request, never who sent it.
        this.logger.error({ route: resolved.route, err }, 'request failed');
        answer(INTERNAL_ERROR());
      });
    };
    // A streaming route's body: filled as parts arrive, read by its handler.
    const parts = resolved.streamsBody ? new Readable({ highWaterMark: STREAMED_BODY_BUFFER_BYTES, read: () => req.resume() }) : undefined;
    parts?.on('error', () => undefined); // a handler that answered without reading it
    const abandon = (why: string): void => void parts?.destroy(new BodyAbandoned(why));
    let received = 0;
    const watch = this.slow.watch(this.bodyPace, () => received, () => {
      stopReading();
      abandon('body too slow');
      answer(BODY_TOO_SLOW());
    });
    const progress: BodyProgress = { add: (bytes) => void (received += bytes), done: () => watch.done() };
    const stopReading = readCappedBody(
      req,
      resolved.maxBodyBytes,
      {
        onTooLarge: () => {
          abandon('body too large');
          answer(this.options.tooLarge?.() ?? textReply(413, 'Request body is too large'));
        },
        onPart: parts && ((part) => parts.push(part)),
        onGone: () => {
          settled = true;
          abandon('client gone');
        },
        onBody: (body) => (parts ? parts.push(null) : run(body)),
      },
      progress,
    );
    if (parts) {
      run(EMPTY_BODY, parts);
      // Answered before its body was read to the end: what the client still sends is dropped.
      res.once('finish', () => {
        if (req.complete) return;
        stopReading();
        abandon('answered before the body ended');
        req.resume();
      });
    }
  }
}

/** What a streaming route's body may hold that its handler has not read yet. */
export const STREAMED_BODY_BUFFER_BYTES = 1024 * 1024;
const EMPTY_BODY = Buffer.alloc(0);

/** Reading a streamed body failed because the body was refused, cut off or its client left. */
export class BodyAbandoned extends Error {
  constructor(why: string) {
    super(`request body abandoned: ${why}`);
    this.name = 'BodyAbandoned';
  }
}

/** Bodies are handed to the socket in slices of this size, so that a slow reader's progress shows. */
export const ANSWER_SLICE_BYTES = 16 * 1024;
/** A large answer is written this much at a time, then the event loop serves others before the rest. */
export const ANSWER_TURN_BYTES = 256 * 1024;

/**
 * Writes a whole answer with its length, unless the client has gone away. A large body goes out
 * a turn at a time (writing and, over TLS, encrypting 10 MB in one go holds up every other client
 * of the process for as long), and waits for the socket to drain when the client reads slowly.
 * True while part of the body is still to be written.
 */
export function writeReply(res: ServerResponse, reply: Reply, onSourceError?: (err: unknown) => void): boolean {
  if (res.destroyed || res.headersSent) {
    void reply.source?.close();
    return false;
  }
  if (reply.source) {
    res.writeHead(reply.status, { ...reply.headers, 'content-length': reply.source.length });
    void writeSource(res, reply.source, onSourceError);
    return true;
  }
  res.writeHead(reply.status, { ...reply.headers, 'content-length': reply.body.byteLength });
  const body = reply.body;
  if (body.byteLength <= ANSWER_SLICE_BYTES) {
    res.end(body);
    return false;
  }
  let at = 0;
  const turn = (): void => {
    if (res.destroyed) return;
    const until = Math.min(body.byteLength, at + ANSWER_TURN_BYTES);
    while (at < until) {
      const slice = body.subarray(at, Math.min(until, at + ANSWER_SLICE_BYTES));
      at += slice.byteLength;
      if (at >= body.byteLength) return void res.end(slice);
      if (!res.write(slice)) return void res.once('drain', turn);
    }
    setImmediate(turn);
  };
  turn();
  return at < body.byteLength;
}

/** A source's body, in slices as the client reads it; reading stops when the client goes away. */
async function writeSource(res: ServerResponse, source: BodySource, onError?: (err: unknown) => void): Promise<void> {
  try {
    for await (const part of source.read()) {
      for (let at = 0; at < part.byteLength; at += ANSWER_SLICE_BYTES) {
        if (res.destroyed) return; // leaving the loop releases the source
        if (!res.write(part.subarray(at, at + ANSWER_SLICE_BYTES))) await drainedOrClosed(res);
      }
    }
    res.end();
  } catch (err) {
    onError?.(err);
    res.destroy(); // the client cannot be told after the headers; a cut answer is what it sees
  }
}

function drainedOrClosed(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}

function flatHeaders(req: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return headers;
}
