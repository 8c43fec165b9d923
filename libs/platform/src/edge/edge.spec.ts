import { request as httpRequest } from 'http';
import { request as httpsRequest } from 'https';
import { connect, type Socket } from 'net';
import { Writable } from 'stream';
import { createLogger } from '../logger';
import { eventually } from '../testing';
import { createMetrics, HttpMetrics } from '../metrics';
import { ANSWER_TURN_BYTES, Edge, type EdgeOptions } from './edge';
import { bytesReply, jsonReply, sourceReply, textReply, wholeReply, type BodySource, type Reply } from './reply';
import type { EdgeRequest, ResolvedRoute, RouteTable } from './routes';
import { selfSignedTls } from './tls';

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function send(edge: Edge, method: string, path: string, body?: string | Buffer, headers: Record<string, string> = {}): Promise<Answer> {
  const request = edge.scheme === 'https' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = request(`${edge.url}${path}`, { method, headers, rejectUnauthorized: false, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks).toString() }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** Raw bytes on a fresh connection; resolves with everything received until the server closes. */
function raw(edge: Edge): { socket: Socket; received: Promise<string> } {
  const socket = connect(edge.port, '127.0.0.1');
  const chunks: Buffer[] = [];
  const received = new Promise<string>((resolve) => {
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('close', () => resolve(Buffer.concat(chunks).toString()));
    socket.on('error', () => undefined);
  });
  return { socket, received };
}

const lines: string[] = [];
const logger = createLogger('edge-test', {
  destination: new Writable({
    write(chunk, _enc, done) {
      lines.push(String(chunk));
      done();
    },
  }),
});

/** The streaming route's handler: what it read, part by part, and how its reading ended. */
const streamed = {
  parts: [] as string[],
  ended: undefined as string | undefined,
  firstPart: undefined as ((part: string) => void) | undefined,
  async handle(req: EdgeRequest): Promise<Reply> {
    this.parts = [];
    try {
      for await (const part of req.bodyParts!) {
        this.parts.push(part.toString());
        this.firstPart?.(part.toString());
      }
      this.ended = 'complete';
      return textReply(200, this.parts.join('|'));
    } catch (err) {
      this.ended = (err as Error).name;
      throw err;
    }
  },
};

const edges: Edge[] = [];
async function startEdge(options: Partial<EdgeOptions> = {}, metrics?: HttpMetrics): Promise<Edge> {
  const edge = new Edge({ host: '127.0.0.1', port: 0, maxBodyBytes: 1024, ...options }, logger, metrics);
  edge.route(
    { method: 'GET', path: '/hello', handle: () => jsonReply(200, { hello: 'world' }) },
    { method: 'POST', path: '/echo', handle: (req) => textReply(200, `${req.method} ${req.path} ?${req.query} ${req.body.length}`) },
    { method: 'POST', path: '/big', maxBodyBytes: 4096, handle: (req) => textReply(200, String(req.body.length)) },
    { method: 'POST', path: '/boom', handle: () => Promise.reject(new Error('kaput')) },
    { method: 'POST', path: '/stream', maxBodyBytes: 4096, streamsBody: true, handle: (req) => streamed.handle(req) },
    { method: 'POST', path: '/refuse-stream', streamsBody: true, handle: () => textReply(400, 'no') },
    { method: 'GET', path: '/slow', handle: () => new Promise<Reply>((resolve) => setTimeout(() => resolve(textReply(200, 'late')), 300)) },
  );
  await edge.listen();
  edges.push(edge);
  return edge;
}

afterEach(async () => {
  await Promise.all(edges.splice(0).map((e) => e.close(0)));
});

describe('Edge routing', () => {
  it('answers exact routes with the exact JSON content type, the path and raw query', async () => {
    const edge = await startEdge();
    const hello = await send(edge, 'GET', '/hello');
    expect(hello).toMatchObject({ status: 200, body: '{"hello":"world"}' });
    expect(hello.headers['content-type']).toBe('application/json');
    expect((await send(edge, 'POST', '/echo?a=1&b', 'abc')).body).toBe('POST /echo ?a=1&b 3');
  });

  it('answers 405 with Allow for a known path, and the service 404 for an unknown one', async () => {
    const edge = await startEdge({ notFound: (req) => textReply(404, `${req.method} ${req.path} Not Found`) });
    const wrongMethod = await send(edge, 'DELETE', '/hello');
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.allow).toBe('GET');
    expect(await send(edge, 'GET', '/nope')).toMatchObject({ status: 404, body: 'GET /nope Not Found' });
  });

  it('asks mounted tables in order after the exact routes', async () => {
    const edge = await startEdge();
    const table = (name: string, prefix: string): RouteTable => ({
      resolve: (_method, path): ResolvedRoute | undefined =>
        path.startsWith(prefix) ? { route: `${prefix}:rest`, handle: () => textReply(200, name) } : undefined,
    });
    edge.mount(table('first', '/room/')).mount(table('second', '/r'));
    expect((await send(edge, 'GET', '/room/lobby')).body).toBe('first');
    expect((await send(edge, 'GET', '/rx')).body).toBe('second');
    expect((await send(edge, 'GET', '/hello')).status).toBe(200);
  });

  it('answers 500 when a route fails and logs the route, never the request', async () => {
    const edge = await startEdge();
    lines.length = 0;
    const answer = await send(edge, 'POST', '/boom', 'secret body', { 'x-forwarded-for': '203.0.113.9' });
    expect(answer).toMatchObject({ status: 500, body: 'Internal server error' });
    const logged = lines.join('');
    expect(logged).toContain('"route":"/boom"');
    expect(logged).toContain('kaput');
    expect(logged).not.toContain('secret body');
    expect(logged).not.toContain('127.0.0.1');
    expect(logged).not.toContain('203.0.113.9');
  });

  it('records latency under the route template, and unmatched requests as one label', async () => {
    const metrics = createMetrics('edge-test', { defaultMetrics: false });
    const edge = await startEdge({}, new HttpMetrics(metrics));
    await send(edge, 'GET', '/hello');
    await send(edge, 'GET', '/no/such/thing');
    const text = await metrics.text();
    expect(text).toMatch(/http_requests_total\{[^}]*route="\/hello"[^}]*status="200"[^}]*\} 1/);
    expect(text).toMatch(/http_requests_total\{[^}]*route="unmatched"[^}]*status="404"[^}]*\} 1/);
    expect(text).not.toContain('/no/such/thing');
  });
});

describe('Edge body caps', () => {
  it('takes a body up to the route cap and refuses one over it with 413', async () => {
    const edge = await startEdge();
    expect((await send(edge, 'POST', '/echo', Buffer.alloc(1024))).status).toBe(200);
    expect((await send(edge, 'POST', '/echo', Buffer.alloc(1025))).status).toBe(413);
    expect((await send(edge, 'POST', '/big', Buffer.alloc(4096))).body).toBe('4096');
  });

  it('runs a streaming route as its body arrives, part by part, before the body has ended', async () => {
    const edge = await startEdge();
    const firstPart = new Promise<string>((resolve) => (streamed.firstPart = resolve));
    const { socket, received } = raw(edge);
    socket.write('POST /stream HTTP/1.1\r\nhost: x\r\nconnection: close\r\ncontent-length: 6\r\n\r\nabc');
    expect(await firstPart).toBe('abc');
    socket.write('def');
    expect(await received).toMatch(/^HTTP\/1\.1 200 [^]*\r\n\r\nabc\|def$/);
    expect(streamed.ended).toBe('complete');
  });

  it('refuses a streamed body over its cap with 413, and the route reading it sees it abandoned, logging nothing', async () => {
    const edge = await startEdge();
    lines.length = 0;
    const { socket, received } = raw(edge);
    socket.write('POST /stream HTTP/1.1\r\nhost: x\r\nconnection: close\r\ntransfer-encoding: chunked\r\n\r\n');
    socket.write(`1000\r\n${'a'.repeat(4096)}\r\n`);
    await eventually(() => expect(streamed.parts.join('')).toHaveLength(4096));
    socket.write('1\r\nb\r\n0\r\n\r\n');
    expect(await received).toMatch(/^HTTP\/1\.1 413 /);
    await eventually(() => expect(streamed.ended).toBe('BodyAbandoned'));
    expect(lines.join('')).not.toContain('request failed');
  });

  it('tells a streaming route whose client left mid-body, and answers the next request', async () => {
    const edge = await startEdge();
    lines.length = 0;
    const { socket } = raw(edge);
    socket.write('POST /stream HTTP/1.1\r\nhost: x\r\ncontent-length: 100\r\n\r\nabc');
    await eventually(() => expect(streamed.parts).toEqual(['abc']));
    socket.destroy();
    await eventually(() => expect(streamed.ended).toBe('BodyAbandoned'));
    expect((await send(edge, 'POST', '/stream', 'xyz')).body).toBe('xyz');
    expect(lines.join('')).not.toContain('request failed');
  });

  it('drops the rest of a streamed body its route answered early, and serves the next request on the connection', async () => {
    const edge = await startEdge();
    const socket = connect(edge.port, '127.0.0.1');
    let text = '';
    socket.on('data', (c: Buffer) => (text += c.toString()));
    socket.write('POST /refuse-stream HTTP/1.1\r\nhost: x\r\ncontent-length: 6\r\n\r\nabc');
    await eventually(() => expect(text).toMatch(/^HTTP\/1\.1 400 [^]*no$/));
    socket.write('defGET /hello HTTP/1.1\r\nhost: x\r\n\r\n');
    await eventually(() => expect(text).toMatch(/no\r?\n?HTTP\/1\.1 200 [^]*"hello":"world"/));
    socket.destroy();
  });

  it('refuses an announced oversized body before any of it is sent', async () => {
    const edge = await startEdge();
    const { socket, received } = raw(edge);
    socket.write('POST /echo HTTP/1.1\r\nhost: x\r\ncontent-length: 20000000\r\n\r\n');
    const head = await new Promise<string>((resolve) => socket.once('data', (c: Buffer) => resolve(c.toString())));
    expect(head).toMatch(/^HTTP\/1.1 413 /);
    socket.destroy();
    await received;
  });

  it('answers an Expect: 100-continue over the cap with 413 and no 100 Continue', async () => {
    const edge = await startEdge();
    const { socket } = raw(edge);
    socket.write('POST /echo HTTP/1.1\r\nhost: x\r\nexpect: 100-continue\r\ncontent-length: 5000\r\n\r\n');
    const head = await new Promise<string>((resolve) => socket.once('data', (c: Buffer) => resolve(c.toString())));
    expect(head).toMatch(/^HTTP\/1.1 413 /);
    socket.destroy();
  });

  it('lets a client that keeps sending an oversized chunked body read the 413 (no reset), within a bound', async () => {
    const edge = await startEdge();
    const { socket, received } = raw(edge);
    socket.write('POST /echo HTTP/1.1\r\nhost: x\r\ntransfer-encoding: chunked\r\n\r\n');
    const chunk = Buffer.alloc(512, 'a');
    let sent = 0;
    // Keep sending 64 KiB past the cap (well inside the drain bound), then end the body.
    while (sent < 64 * 1024) {
      socket.write(`${chunk.length.toString(16)}\r\n`);
      socket.write(chunk);
      socket.write('\r\n');
      sent += chunk.length;
    }
    socket.write('0\r\n\r\n');
    socket.end();
    expect(await received).toMatch(/^HTTP\/1.1 413 /);
  });

  it('cuts off a sender that keeps going far past the cap', async () => {
    const edge = await startEdge();
    const { socket, received } = raw(edge);
    socket.write('POST /echo HTTP/1.1\r\nhost: x\r\ntransfer-encoding: chunked\r\n\r\n');
    const chunk = Buffer.alloc(64 * 1024, 'a');
    let writing = true;
    socket.on('close', () => (writing = false));
    for (let i = 0; i < 200 && writing; i++) {
      socket.write(`${chunk.length.toString(16)}\r\n`);
      socket.write(chunk);
      socket.write('\r\n');
      await new Promise((r) => setImmediate(r));
    }
    await received;
    expect(socket.destroyed).toBe(true);
  });
});

/** GET of a binary answer, over the edge's scheme: its Content-Length and its bytes. */
function download(edge: Edge, path: string): Promise<{ length: string | undefined; body: Buffer }> {
  const get = edge.scheme === 'https' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    get(`${edge.url}${path}`, { rejectUnauthorized: false, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ length: res.headers['content-length'], body: Buffer.concat(chunks) }));
    })
      .on('error', reject)
      .end();
  });
}

describe('Edge answers', () => {
  // Large enough to go out in several slices, with an odd tail.
  const large = Buffer.alloc(3 * ANSWER_TURN_BYTES + 12_345);
  for (let i = 0; i < large.length; i++) large[i] = (i * 31) & 0xff;

  it('writes a large body whole, in slices, with its length', async () => {
    const edge = await startEdge();
    edge.route({ method: 'GET', path: '/large', handle: () => bytesReply(200, 'application/octet-stream', large) });
    const got = await download(edge, '/large');
    expect(got.length).toBe(String(large.length));
    expect(got.body.equals(large)).toBe(true);
  });

  /** `body` as a source in 64 KiB parts that counts what was read and whether it was released. */
  function largeSource(body = large): BodySource & { partsRead: number; released: boolean } {
    const source = {
      length: body.length,
      partsRead: 0,
      released: false,
      async *read() {
        try {
          for (let at = 0; at < body.length; at += 65_536) {
            source.partsRead++;
            yield body.subarray(at, at + 65_536);
          }
        } finally {
          source.released = true;
        }
      },
      close: async () => void (source.released = true),
    };
    return source;
  }

  it('writes a body read from a source whole, with its length', async () => {
    const edge = await startEdge();
    const source = largeSource();
    edge.route({ method: 'GET', path: '/source', handle: () => sourceReply(200, 'application/octet-stream', source) });
    const got = await download(edge, '/source');
    expect(got.length).toBe(String(large.length));
    expect(got.body.equals(large)).toBe(true);
    expect(source.released).toBe(true);
    expect(Buffer.from((await wholeReply(sourceReply(200, 'x', largeSource()))).body).equals(large)).toBe(true);
  });

  it('stops reading a source when its client goes away mid-answer, and releases it', async () => {
    const edge = await startEdge();
    // More than the kernel's socket buffers take from a client that reads nothing.
    const huge = Buffer.alloc(64 * 1024 * 1024);
    const source = largeSource(huge);
    edge.route({ method: 'GET', path: '/source', handle: () => sourceReply(200, 'application/octet-stream', source) });
    const { socket, received } = raw(edge);
    socket.pause(); // reads nothing: the answer waits on the socket
    socket.write('GET /source HTTP/1.1\r\nhost: x\r\n\r\n');
    await eventually(() => expect(source.partsRead).toBeGreaterThan(0));
    socket.destroy();
    await received;
    await eventually(() => expect(source.released).toBe(true));
    expect(source.partsRead).toBeLessThan(huge.length / 65_536);
  });

  it('cuts the answer when its source fails mid-body, logs the route, and answers the next request', async () => {
    const edge = await startEdge();
    lines.length = 0;
    const failing: BodySource = {
      length: 200_000,
      async *read() {
        yield Buffer.alloc(100_000, 1);
        throw new Error('disk gone');
      },
      close: async () => undefined,
    };
    edge.route({ method: 'GET', path: '/failing', handle: () => sourceReply(200, 'x', failing) });
    const cut = await new Promise<{ received: number; aborted: boolean }>((resolve) => {
      httpRequest(`${edge.url}/failing`, { agent: false }, (res) => {
        let received = 0;
        res.on('data', (c: Buffer) => (received += c.length));
        res.on('error', () => undefined);
        res.on('close', () => resolve({ received, aborted: !res.complete }));
      }).end();
    });
    expect(cut.aborted).toBe(true);
    expect(cut.received).toBeLessThanOrEqual(100_000);
    await eventually(() => expect(lines.join('')).toMatch(/"route":"\/failing".*answer body failed/));
    expect((await send(edge, 'GET', '/hello')).status).toBe(200);
  });

  it('releases a source it never writes, as when the client left before the answer', async () => {
    const edge = await startEdge();
    const source = largeSource();
    let answer!: () => void;
    edge.route({ method: 'GET', path: '/late-source', handle: () => new Promise<Reply>((resolve) => (answer = () => resolve(sourceReply(200, 'x', source)))) });
    const { socket, received } = raw(edge);
    socket.write('GET /late-source HTTP/1.1\r\nhost: x\r\n\r\n');
    await eventually(() => expect(answer).toBeDefined());
    socket.destroy();
    await received;
    answer();
    await eventually(() => expect(source.released).toBe(true));
    expect(source.partsRead).toBe(0);
  });

  it('stops writing to a client that goes away mid-answer, and answers the next one', async () => {
    const edge = await startEdge();
    edge.route({ method: 'GET', path: '/large', handle: () => bytesReply(200, 'application/octet-stream', large) });
    const logged = lines.length;
    const { socket, received } = raw(edge);
    socket.write('GET /large HTTP/1.1\r\nhost: x\r\n\r\n');
    await new Promise<void>((resolve) => socket.once('data', () => resolve()));
    socket.destroy();
    await received;
    expect((await send(edge, 'GET', '/hello')).status).toBe(200);
    expect(lines.slice(logged).join('')).not.toContain('"level":50');
  });
});

describe('Edge refusals of malformed HTTP', () => {
  it('answers CONNECT with 405 instead of dropping the connection', async () => {
    const edge = await startEdge();
    const { socket, received } = raw(edge);
    socket.write('CONNECT 127.0.0.1:22 HTTP/1.1\r\nhost: 127.0.0.1:22\r\n\r\n');
    expect(await received).toMatch(/^HTTP\/1.1 405 /);
  });

  it('lets a client that keeps flooding headers read the 431 (no reset): what follows the answer is drained', async () => {
    const edge = await startEdge();
    const { socket, received } = raw(edge);
    let failure: string | undefined;
    socket.on('error', (err: NodeJS.ErrnoException) => (failure = err.code));
    const answered = new Promise((resolve) => socket.once('data', resolve));
    socket.write('GET /hello HTTP/1.1\r\nhost: x\r\n');
    for (let i = 0; i < 300; i++) socket.write(`x-flood-${i}: ${'f'.repeat(60)}\r\n`);
    await answered;
    // The flooder has not noticed yet and goes on: the server reads that too instead of resetting.
    for (let i = 300; i < 600; i++) socket.write(`x-flood-${i}: ${'f'.repeat(60)}\r\n`);
    socket.end();
    expect(await received).toMatch(/^HTTP\/1.1 431 /);
    expect(failure).toBeUndefined();
  });

  it('answers garbage with one 400, however much garbage follows', async () => {
    const edge = await startEdge();
    const { socket, received } = raw(edge);
    socket.write('\u0000\u0001garbage\r\n\r\n');
    socket.write(Buffer.alloc(100_000, 'z'));
    socket.end();
    expect(await received).toBe('HTTP/1.1 400 Bad Request\r\nconnection: close\r\ncontent-length: 0\r\n\r\n');
  });
});

describe('Edge timeouts', () => {
  it('closes a connection whose headers never finish', async () => {
    const edge = await startEdge({ timeouts: { headersMs: 300, requestMs: 600 } });
    const { socket, received } = raw(edge);
    socket.write('GET /hello HTTP/1.1\r\nhost: x\r\n');
    expect(await received).toMatch(/^HTTP\/1.1 408 /);
  });

  it('cuts off a body trickled one byte at a time, and still answers others meanwhile', async () => {
    const edge = await startEdge({ timeouts: { headersMs: 300, requestMs: 800 } });
    const { socket, received } = raw(edge);
    socket.write('POST /echo HTTP/1.1\r\nhost: x\r\ncontent-length: 1000\r\n\r\n');
    const drip = setInterval(() => socket.writable && socket.write('a'), 50);
    expect((await send(edge, 'GET', '/hello')).status).toBe(200);
    await received;
    clearInterval(drip);
    expect(socket.destroyed || socket.readableEnded).toBe(true);
  });
});

describe('Edge against slow bodies and many connections', () => {
  it('cuts a body trickled below the floor with 408 long before the request deadline, and takes a steady one', async () => {
    const edge = await startEdge({ timeouts: { requestMs: 60_000 }, bodyPace: { minBytesPerSecond: 1000, windowMs: 300 }, maxBodyBytes: 100_000 });
    const { socket, received } = raw(edge);
    socket.write('POST /echo HTTP/1.1\r\nhost: x\r\ncontent-length: 1000\r\n\r\n');
    const drip = setInterval(() => socket.writable && socket.write('a'), 50);
    // Meanwhile a body sent at once is taken.
    expect((await send(edge, 'POST', '/echo', Buffer.alloc(50_000))).status).toBe(200);
    expect(await received).toMatch(/^HTTP\/1.1 408 [\s\S]*Request body arrived too slowly$/);
    clearInterval(drip);
  });

  it('cuts off a client that asks for answers and does not read them, and still answers others', async () => {
    const edge = await startEdge({ answerPace: { minBytesPerSecond: 1000, windowMs: 300 } });
    edge.route({ method: 'GET', path: '/large', handle: () => textReply(200, 'x'.repeat(1024 * 1024)) });
    const socket = connect(edge.port, '127.0.0.1');
    await new Promise((resolve) => socket.once('connect', resolve));
    socket.pause(); // reads nothing while the server decides
    socket.on('error', () => undefined);
    // Pipelined asks for 1 MiB answers: more than the kernel's buffers hold (loopback autotunes
    // a receive buffer up to 32 MiB here).
    for (let i = 0; i < 100; i++) socket.write('GET /large HTTP/1.1\r\nhost: x\r\n\r\n');
    await eventually(async () => expect(await edge.connectionCount()).toBe(0), 10_000);
    expect((await send(edge, 'GET', '/hello')).status).toBe(200);
    // What the client finds when it looks at last: far less than it asked for, then the end.
    const closed = new Promise((resolve) => socket.on('close', resolve));
    socket.resume();
    await closed;
    expect(socket.bytesRead).toBeLessThan(100 * 1024 * 1024);
  });

  it('cuts off a client that asks for one large answer and does not read it', async () => {
    const edge = await startEdge({ answerPace: { minBytesPerSecond: 1000, windowMs: 300 } });
    edge.route({ method: 'GET', path: '/huge', handle: () => textReply(200, 'x'.repeat(64 * 1024 * 1024)) });
    const socket = connect(edge.port, '127.0.0.1');
    await new Promise((resolve) => socket.once('connect', resolve));
    socket.pause();
    socket.on('error', () => undefined);
    socket.write('GET /huge HTTP/1.1\r\nhost: x\r\n\r\n');
    await eventually(async () => expect(await edge.connectionCount()).toBe(0), 10_000);
    const closed = new Promise((resolve) => socket.on('close', resolve));
    socket.resume();
    await closed;
    expect(socket.bytesRead).toBeLessThan(64 * 1024 * 1024);
  });

  it('writes a large answer whole, a turn at a time, over HTTP and HTTPS', async () => {
    const large = Buffer.alloc(3 * 1024 * 1024 + 123);
    for (let i = 0; i < large.length; i++) large[i] = i % 251;
    for (const tls of [undefined, await selfSignedTls('edge-test')]) {
      const edge = await startEdge({ tls });
      edge.route({ method: 'GET', path: '/large', handle: () => bytesReply(200, 'application/octet-stream', large) });
      expect((await download(edge, '/large')).body.equals(large)).toBe(true);
    }
  });

  it('closes connections beyond its cap on arrival and counts them, still answering the ones it holds', async () => {
    const metrics = new HttpMetrics(createMetrics('edge-cap-test'));
    const edge = await startEdge({ maxConnections: 2 }, metrics);
    const held = [raw(edge), raw(edge)];
    await Promise.all(held.map(({ socket }) => new Promise((resolve) => socket.once('connect', resolve))));
    const extra = raw(edge);
    await extra.received;
    expect(extra.socket.bytesRead).toBe(0);
    expect(await metrics.droppedConnections.get()).toMatchObject({ values: [{ value: 1 }] });
    held[0]!.socket.write('GET /hello HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n');
    expect(await held[0]!.received).toMatch(/^HTTP\/1.1 200 /);
    held[1]!.socket.destroy();
  });
});

describe('Edge drain', () => {
  it('keeps serving, but each answer closes its connection so that the client reconnects elsewhere', async () => {
    const edge = await startEdge();
    const held = raw(edge);
    held.socket.write('GET /hello HTTP/1.1\r\nhost: x\r\n\r\n');
    const first = await new Promise<string>((resolve) => held.socket.once('data', (c: Buffer) => resolve(c.toString())));
    expect(first).toMatch(/^HTTP\/1.1 200 OK\r\n[\s\S]*connection: keep-alive/i);

    edge.drain();
    held.socket.write('GET /hello HTTP/1.1\r\nhost: x\r\n\r\n');
    const answers = await held.received; // the server ends the connection after the answer
    expect(answers.slice(first.length)).toMatch(/^HTTP\/1.1 200 OK\r\n[\s\S]*connection: close\r\n[\s\S]*\{"hello":"world"\}$/i);
    const fresh = await send(edge, 'GET', '/hello');
    expect([fresh.status, fresh.headers.connection]).toEqual([200, 'close']);
    expect(edge.listening).toBe(true);
  });
});

describe('Edge close', () => {
  it('lets requests in progress finish, answers 503 to later ones on open connections, then closes', async () => {
    const edge = await startEdge();
    const idle = raw(edge);
    idle.socket.write('GET /hello HTTP/1.1\r\nhost: x\r\n\r\n');
    await new Promise((resolve) => idle.socket.once('data', resolve));
    const busy = raw(edge);
    busy.socket.write('GET /slow HTTP/1.1\r\nhost: x\r\n\r\n');
    await new Promise((resolve) => setTimeout(resolve, 100));
    const closed = edge.close(2_000);
    busy.socket.write('GET /hello HTTP/1.1\r\nhost: x\r\n\r\n');
    await closed;
    const answers = await busy.received;
    expect(answers).toMatch(/^HTTP\/1.1 200 OK[\s\S]*late/);
    expect(answers).toMatch(/HTTP\/1.1 503 Service Unavailable[\s\S]*Service unavailable$/);
    // The idle keep-alive connection was closed without waiting for its timeout.
    expect(await idle.received).toMatch(/^HTTP\/1.1 200 OK/);
    expect(edge.listening).toBe(false);
  });
});

describe('Edge over TLS', () => {
  it('serves HTTPS with a self-signed certificate, keep-alive included', async () => {
    const tls = await selfSignedTls('edge-test');
    const edge = await startEdge({ tls });
    expect(edge.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect((await send(edge, 'GET', '/hello')).body).toBe('{"hello":"world"}');
    expect((await send(edge, 'POST', '/echo', 'xyz')).body).toBe('POST /echo ? 3');
  });
});
