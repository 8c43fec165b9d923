// Answers for what never becomes a request: HTTP that Node's parser refuses (garbage, header
// floods, lengths that lie, a client too slow with its headers) and tunnels (CONNECT), which no
// Starling route serves. Each gets one short HTTP answer; what the client still sends is read and
// dropped for a little while, up to a bound, so that it can read the answer instead of a reset
// (a flooder is still writing when the answer leaves: closing at once would reset the connection
// and throw the answer away on the client's side).
import type { Duplex } from 'stream';
import { REFUSED_BODY_DRAIN_BYTES } from './body';

/** How long a refused connection is still read from before it is cut. */
export const REFUSED_LINGER_MS = 2_000;

const REASONS: Record<number, string> = {
  400: 'Bad Request',
  405: 'Method Not Allowed',
  408: 'Request Timeout',
  431: 'Request Header Fields Too Large',
};

/** The status for an error Node's parser (or its timeout sweep) raised on a connection. */
export function statusForClientError(err: NodeJS.ErrnoException): number {
  if (err.code === 'ERR_HTTP_REQUEST_TIMEOUT') return 408;
  if (err.code === 'HPE_HEADER_OVERFLOW') return 431;
  return 400;
}

const refused = new WeakSet<Duplex>();

/**
 * Answers `status` and closes the connection once the client has read it (or has sent too much,
 * or taken too long). Later parser errors on the same connection — a flood goes on arriving after
 * the first one — change nothing.
 */
export function refuseConnection(socket: Duplex, status: number, extraHeaders = ''): void {
  if (refused.has(socket)) return;
  refused.add(socket);
  if (!socket.writable || socket.destroyed) {
    socket.destroy();
    return;
  }
  socket.end(`HTTP/1.1 ${status} ${REASONS[status] ?? 'Bad Request'}\r\nconnection: close\r\n${extraHeaders}content-length: 0\r\n\r\n`);
  // Node's parser is done with this connection: what arrives now is only counted and dropped.
  socket.removeAllListeners('data');
  let dropped = 0;
  socket.on('data', (chunk: Buffer) => {
    dropped += chunk.length;
    if (dropped > REFUSED_BODY_DRAIN_BYTES) socket.destroy();
  });
  socket.on('error', () => undefined);
  socket.resume();
  const cut = setTimeout(() => socket.destroy(), REFUSED_LINGER_MS);
  cut.unref();
  socket.once('close', () => clearTimeout(cut));
}

/** A connection reset by the client has nobody left to answer. */
export function isReset(err: NodeJS.ErrnoException): boolean {
  return err.code === 'ECONNRESET' || err.code === 'EPIPE';
}
