// A body over the 10 MiB cap gets its 413 on a real socket while the client is still sending: the
// answer arrives before the connection closes. The edge reads and drops a bounded amount after
// refusing (REFUSED_BODY_DRAIN_BYTES), so a client a little over the cap sees no reset at all, and
// one that keeps sending is cut off once it has had its answer.
import { REFUSED_BODY_DRAIN_BYTES } from '@starling/platform';
import { connect, type Socket } from 'net';
import { MAX_BODY_BYTES } from '../src/server';
import { forEachBackend, type Harness } from './helpers';

interface Outcome {
  /** Everything the server sent before the connection ended. */
  received: string;
  /** Bytes of the answer already received when the first socket error (if any) came. */
  receivedBeforeError: number | undefined;
  error: string | undefined;
}

/** Sends the head, then `bodyBytes` in 64 KiB pieces (chunked when `chunked`), respecting backpressure. */
async function sendBody(h: Harness, head: string, bodyBytes: number, chunked: boolean): Promise<Outcome> {
  const socket: Socket = connect(h.server.port, '127.0.0.1');
  const chunks: Buffer[] = [];
  const outcome: Outcome = { received: '', receivedBeforeError: undefined, error: undefined };
  const closed = new Promise<void>((resolve) => {
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('error', (err: NodeJS.ErrnoException) => {
      outcome.error ??= err.code;
      outcome.receivedBeforeError ??= Buffer.concat(chunks).length;
    });
    socket.on('close', () => resolve());
  });
  socket.write(head);
  const piece = Buffer.alloc(64 * 1024, 0x61);
  for (let sent = 0; sent < bodyBytes && !socket.destroyed; sent += piece.length) {
    const ok = chunked ? socket.write(Buffer.concat([Buffer.from(`${piece.length.toString(16)}\r\n`), piece, Buffer.from('\r\n')])) : socket.write(piece);
    if (!ok) await new Promise((resolve) => (socket.once('drain', resolve), socket.once('close', resolve)));
  }
  if (!socket.destroyed) socket.end(chunked ? '0\r\n\r\n' : '');
  await closed;
  outcome.received = Buffer.concat(chunks).toString('latin1');
  return outcome;
}

forEachBackend('oversized bodies', (h) => {
  it('answers an announced 12 MiB body with 413 before the connection closes', async () => {
    const size = 12 * 1024 * 1024;
    const outcome = await sendBody(h(), `POST /room/test-room/file HTTP/1.1\r\nhost: x\r\ncontent-length: ${size}\r\n\r\n`, size, false);
    expect(outcome.received).toMatch(/^HTTP\/1.1 413 /);
    expect(outcome.received).toContain('Request too large');
    // If the client's writes failed, that came after the whole answer was in.
    if (outcome.error) expect(outcome.receivedBeforeError).toBe(outcome.received.length);
    expect((await h().get('/capabilities')).status).toBe(200);
  });

  it('lets a chunked body a little over the cap read its 413 with no reset at all', async () => {
    const over = REFUSED_BODY_DRAIN_BYTES / 2;
    const outcome = await sendBody(h(), 'POST /batch HTTP/1.1\r\nhost: x\r\ntransfer-encoding: chunked\r\n\r\n', MAX_BODY_BYTES + over, true);
    expect(outcome.received).toMatch(/^HTTP\/1.1 413 /);
    expect(outcome.error).toBeUndefined();
  });

  it('cuts off a sender that keeps going long after its answer', async () => {
    const size = 64 * 1024 * 1024;
    const outcome = await sendBody(h(), `POST /sequence HTTP/1.1\r\nhost: x\r\ncontent-length: ${size}\r\n\r\n`, size, false);
    expect(outcome.received).toMatch(/^HTTP\/1.1 413 /);
    expect(outcome.error).toBeDefined(); // the server stopped reading: the rest was never taken
  });
});
