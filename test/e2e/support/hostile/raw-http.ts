// HTTP/1.1 spoken by hand over a plain or TLS socket, for requests no well-behaved client library
// would send: bytes that are not HTTP, header floods, bodies announced larger than they are,
// trickled bodies, readers that do not read. Each exchange says whether the server answered (and
// with what status) or dropped the connection without a word, which a hostile-input test must
// tell apart: a refusal is fine, a reset is not.
import { connect as netConnect, type Socket } from 'net';
import { connect as tlsConnect } from 'tls';

export interface RawAnswer {
  /** The status of the server's answer; undefined when none arrived. */
  status?: number;
  /** Raw header block of the answer, lower-cased names. */
  headers: Record<string, string>;
  body: Buffer;
  /** Why no answer arrived (reset, closed, timed out); undefined when one did. */
  failure?: string;
  /** Milliseconds from connecting to the whole answer (or the failure). */
  elapsedMs: number;
}

export interface RawTarget {
  host: string;
  port: number;
  tls: boolean;
}

export function rawTarget(url: string): RawTarget {
  const u = new URL(url);
  return { host: u.hostname, port: Number(u.port), tls: u.protocol === 'https:' };
}

/** What the client does with its socket once connected; `answered` resolves when an answer has arrived. */
export type RawSender = (socket: Socket, answered: Promise<void>) => Promise<void> | void;

export function openSocket(target: RawTarget): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = target.tls
      ? tlsConnect({ host: target.host, port: target.port, rejectUnauthorized: false }, () => resolve(socket))
      : netConnect({ host: target.host, port: target.port }, () => resolve(socket));
    socket.once('error', reject);
  });
}

/**
 * Connects, lets `send` write whatever it likes, and reads one answer: the status line, headers
 * and a body framed by content-length (or the connection's end). Resolves, never rejects.
 */
export async function rawExchange(target: RawTarget, send: RawSender | Uint8Array | string, timeoutMs = 20_000): Promise<RawAnswer> {
  const started = Date.now();
  let socket: Socket;
  try {
    socket = await openSocket(target);
  } catch (err) {
    return { headers: {}, body: Buffer.alloc(0), failure: `connect: ${(err as Error).message}`, elapsedMs: Date.now() - started };
  }
  return new Promise<RawAnswer>((resolve) => {
    let received = Buffer.alloc(0);
    let head: { status: number; headers: Record<string, string>; bodyStart: number } | undefined;
    let settled = false;
    let markAnswered: () => void = () => undefined;
    const answered = new Promise<void>((r) => (markAnswered = r));
    const finish = (failure?: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      markAnswered();
      socket.destroy();
      if (head && failure === undefined) {
        resolve({ status: head.status, headers: head.headers, body: received.subarray(head.bodyStart), elapsedMs: Date.now() - started });
      } else if (head) {
        // The connection ended after the head: the body as far as it came (framed by the close).
        const body = received.subarray(head.bodyStart);
        const expected = head.headers['content-length'];
        if (expected === undefined || Number(expected) === body.length) resolve({ status: head.status, headers: head.headers, body, elapsedMs: Date.now() - started });
        else resolve({ status: head.status, headers: head.headers, body, failure: `answer cut short: ${failure}`, elapsedMs: Date.now() - started });
      } else {
        resolve({ headers: {}, body: Buffer.alloc(0), failure, elapsedMs: Date.now() - started });
      }
    };
    const timer = setTimeout(() => finish('no answer in time'), timeoutMs);
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      if (!head) head = parseHead(received);
      if (!head) return;
      markAnswered();
      const length = head.headers['content-length'];
      if (length !== undefined && received.length - head.bodyStart >= Number(length)) finish();
    });
    socket.on('error', (err: NodeJS.ErrnoException) => finish(err.code ?? err.message));
    socket.on('close', () => finish('closed without an answer'));
    const sending = typeof send === 'function' ? send(socket, answered) : socket.write(send);
    // Writes that fail because the server has already answered and closed are no failure of ours.
    void Promise.resolve(sending).catch(() => undefined);
  });
}

function parseHead(received: Buffer): { status: number; headers: Record<string, string>; bodyStart: number } | undefined {
  const end = received.indexOf('\r\n\r\n');
  if (end < 0) return undefined;
  const [statusLine, ...lines] = received.subarray(0, end).toString('latin1').split('\r\n');
  const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(statusLine ?? '')?.[1]);
  if (!Number.isInteger(status)) return undefined;
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { status, headers, bodyStart: end + 4 };
}

/** A request head with CRLFs, for senders that write the body themselves. */
export function requestHead(method: string, path: string, headers: Record<string, string | number>, host = 'localhost'): string {
  const lines = [`${method} ${path} HTTP/1.1`, `host: ${host}`, ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`)];
  return `${lines.join('\r\n')}\r\n\r\n`;
}

/** Writes and waits until the bytes have left (or the socket failed, which the exchange reports). */
export function write(socket: Socket, data: Uint8Array | string): Promise<void> {
  return new Promise((resolve) => {
    if (socket.destroyed) return resolve();
    socket.write(data, () => resolve());
  });
}

export const pause = (ms: number) => new Promise<void>((r) => setTimeout(r, ms).unref());

/**
 * Sends `data` a few bytes at a time, `everyMs` apart, until it is all sent, the server has
 * answered, or the socket is gone.
 */
export async function trickle(socket: Socket, answered: Promise<void>, data: Uint8Array | string, bytesPerStep: number, everyMs: number): Promise<void> {
  const bytes = typeof data === 'string' ? Buffer.from(data, 'latin1') : Buffer.from(data);
  let done = false;
  void answered.then(() => (done = true));
  for (let i = 0; i < bytes.length && !done && !socket.destroyed; i += bytesPerStep) {
    await write(socket, bytes.subarray(i, i + bytesPerStep));
    await pause(everyMs);
  }
}
