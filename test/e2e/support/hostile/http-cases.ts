// Hostile HTTP itself, sent over a raw socket to any public listener: bytes that are not HTTP,
// floods of headers, lengths that lie or contradict each other, bodies announced (or found) larger
// than the route's cap, methods no route serves, tunnels. Every one must get an HTTP answer, 4xx.
import { anyClientError, inParallel, type CaseFailure, type RefusalRule } from './hostile-case';
import { HostileRun } from './hostile-runner';
import { pause, rawExchange, requestHead, write, type RawSender, type RawTarget } from './raw-http';
import type { Rng } from './values';

export interface RawCase {
  what: string;
  send: RawSender | string | Uint8Array;
  refusal?: RefusalRule;
}

/** A route of the surface: the one the body-cap cases aim at, with its cap. */
export interface SurfaceRoute {
  method: string;
  path: string;
  maxBodyBytes: number;
}

/** Sends a body in chunks until the server answers: it must refuse before the body ends. */
function oversizedChunked(route: SurfaceRoute): RawSender {
  return async (socket, answered) => {
    let done = false;
    void answered.then(() => (done = true));
    await write(socket, requestHead(route.method, route.path, { 'transfer-encoding': 'chunked', 'content-type': 'application/octet-stream' }));
    const chunk = Buffer.alloc(64 * 1024, 0x61);
    for (let sent = 0; sent <= route.maxBodyBytes + chunk.length && !done && !socket.destroyed; sent += chunk.length) {
      await write(socket, `${chunk.length.toString(16)}\r\n`);
      await write(socket, chunk);
      await write(socket, '\r\n');
    }
  };
}

/** Announces a body far over the cap and sends a little of it: the refusal must come at once. */
function oversizedAnnounced(route: SurfaceRoute, expectContinue: boolean): RawSender {
  return async (socket) => {
    const headers: Record<string, string | number> = { 'content-length': route.maxBodyBytes + 1_000_000, 'content-type': 'application/octet-stream' };
    if (expectContinue) headers.expect = '100-continue';
    await write(socket, requestHead(route.method, route.path, headers));
    if (!expectContinue) await write(socket, Buffer.alloc(1024, 0x61));
  };
}

/** Pipelines `count` requests for a path no route serves on one connection: only the first answer is read. */
function pipelined(count: number): string {
  return Array.from({ length: count }, () => requestHead('POST', '/no-such-path', { 'content-length': 2 }) + '{}').join('');
}

/** The refusals Node's parser and the edge give malformed HTTP: any 4xx, with or without a body. */
const httpRefusal: RefusalRule = anyClientError;

export function rawHttpCases(rng: Rng, route: SurfaceRoute): RawCase[] {
  const head = (method: string, path: string, headers: Record<string, string | number> = {}) => requestHead(method, path, headers);
  const manyHeaders = (n: number, size: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`x-h${i}`, 'v'.repeat(size)]));
  return [
    ...Array.from({ length: 6 }, (_, i): RawCase => ({ what: `random bytes #${i}`, send: Buffer.concat([rng.bytes(1 + rng.int(4_000)), Buffer.from('\r\n\r\n')]) })),
    { what: 'a request line alone', send: 'GET\r\n\r\n' },
    { what: 'HTTP/9.9', send: `GET ${route.path} HTTP/9.9\r\nhost: x\r\n\r\n` },
    { what: 'HTTP/2 preface on HTTP/1.1', send: 'PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n' },
    { what: 'no host header', send: `GET ${route.path} HTTP/1.1\r\n\r\n` },
    { what: 'a NUL in the method', send: `GE\u0000T ${route.path} HTTP/1.1\r\nhost: x\r\n\r\n` },
    { what: 'a control character in a header', send: `GET ${route.path} HTTP/1.1\r\nhost: x\r\nx-a: b\u0001c\r\n\r\n` },
    { what: 'a header without a colon', send: `GET ${route.path} HTTP/1.1\r\nhost: x\r\nnonsense\r\n\r\n` },
    { what: 'bare LF line ends', send: `GET ${route.path} HTTP/1.1\nhost: x\n\n` },
    { what: '2,000 headers', send: head('GET', route.path, manyHeaders(2_000, 40)) },
    { what: 'one header of 100 KB', send: head('GET', route.path, { 'x-big': 'v'.repeat(100_000) }) },
    { what: 'a path of 100 KB', send: head('GET', `/${'a'.repeat(100_000)}`) },
    { what: 'a header flood of 200 KB sent without waiting for an answer', send: `GET ${route.path} HTTP/1.1\r\nhost: x\r\n${`x-flood: ${'f'.repeat(60)}\r\n`.repeat(2_800)}` },
    { what: 'content-length not a number', send: head(route.method, route.path, { 'content-length': 'abc' }) },
    { what: 'content-length negative', send: head(route.method, route.path, { 'content-length': -1 }) },
    { what: 'content-length 1e400', send: head(route.method, route.path, { 'content-length': '1e400' }) },
    { what: 'two content-lengths that disagree', send: `${route.method} ${route.path} HTTP/1.1\r\nhost: x\r\ncontent-length: 2\r\ncontent-length: 3\r\n\r\n{}` },
    { what: 'content-length with chunked', send: `${route.method} ${route.path} HTTP/1.1\r\nhost: x\r\ncontent-length: 5\r\ntransfer-encoding: chunked\r\n\r\n0\r\n\r\n` },
    { what: 'a chunk size not in hex', send: `${route.method} ${route.path} HTTP/1.1\r\nhost: x\r\ntransfer-encoding: chunked\r\n\r\nzz\r\nab\r\n0\r\n\r\n` },
    { what: 'a chunk size of 2^64', send: `${route.method} ${route.path} HTTP/1.1\r\nhost: x\r\ntransfer-encoding: chunked\r\n\r\n10000000000000000\r\nab\r\n` },
    { what: 'an unknown transfer-encoding', send: `${route.method} ${route.path} HTTP/1.1\r\nhost: x\r\ntransfer-encoding: gzip\r\n\r\n` },
    { what: 'a body announced far over the cap', send: oversizedAnnounced(route, false) },
    { what: 'a body announced far over the cap with 100-continue', send: oversizedAnnounced(route, true) },
    { what: 'a chunked body over the cap', send: oversizedChunked(route) },
    ...['BREW', 'PROPFIND', 'M-SEARCH', 'TRACE', 'OPTIONS', 'PATCH', 'DELETE', 'PUT'].map((m): RawCase => ({ what: `method ${m}`, send: head(m, route.path, { 'content-length': 0 }) })),
    { what: 'CONNECT', send: `CONNECT 127.0.0.1:22 HTTP/1.1\r\nhost: 127.0.0.1:22\r\n\r\n` },
    { what: 'an absolute URL to another host', send: head('GET', `http://169.254.169.254${route.path}`) },
    { what: 'a websocket upgrade', send: head('GET', route.path, { upgrade: 'websocket', connection: 'Upgrade', 'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==', 'sec-websocket-version': 13 }) },
    { what: 'an h2c upgrade', send: head('GET', route.path, { upgrade: 'h2c', connection: 'Upgrade, HTTP2-Settings', 'http2-settings': 'AAMAAABkAARAAAAA' }) },
    { what: '100 pipelined requests', send: pipelined(100) },
    { what: 'a path with a percent-encoded NUL', send: head('GET', `${route.path}%00`) },
    { what: 'a path of bad percent escapes', send: head('GET', `${route.path}/%zz%`) },
    { what: 'a path that climbs', send: head('GET', '/../../../../etc/passwd') },
    { what: 'a request then silence after half the body', send: async (socket, answered) => {
      await write(socket, head(route.method, route.path, { 'content-length': 100 }) + '{"a":');
      // Half a body, then the client gives up on sending but still listens.
      socket.end();
      await Promise.race([answered, pause(3_000)]);
    } },
  ];
}

/** Sends every raw case to `target`; an answer that never came (or came as 5xx) is a failure. */
export async function runRaw(target: RawTarget, via: string, cases: readonly RawCase[], concurrency = 4): Promise<HostileRun> {
  const run: HostileRun = { sent: 0, failures: [], statuses: {} };
  const fail = (failure: CaseFailure) => run.failures.push(failure);
  await inParallel(cases, concurrency, async (c) => {
    run.sent++;
    const answer = await rawExchange(target, c.send);
    const status = answer.status ?? 0;
    run.statuses[status] = (run.statuses[status] ?? 0) + 1;
    if (answer.status === undefined) {
      const problem = (c.refusal ?? httpRefusal)(0, answer.body);
      if (problem !== undefined) fail({ what: c.what, via, problem: `no answer: ${answer.failure}` });
      return;
    }
    const problem = (c.refusal ?? httpRefusal)(answer.status, answer.body);
    if (problem) fail({ what: c.what, via, problem: `${problem}: ${answer.body.toString('utf8').slice(0, 160)}` });
  });
  return run;
}
