// Reading a request body under a cap. A body announced or found to be over the cap is refused at
// once; what the client still sends is read and dropped up to a bound, so that it can read the
// refusal instead of a connection reset, and a hostile sender is cut off past the bound.
import type { IncomingMessage } from 'http';

/** Bytes of a refused body still read and dropped before the connection is cut. */
export const REFUSED_BODY_DRAIN_BYTES = 256 * 1024;

export interface BodyHandlers {
  /** The whole body, once it has arrived within the cap (empty when `onPart` took it). */
  onBody(body: Buffer): void;
  /** The body is, or announces itself as, over the cap: answer now. */
  onTooLarge(): void;
  /**
   * Takes each part as it arrives instead of the body being kept; false pauses the request until
   * the taker resumes it.
   */
  onPart?(part: Buffer): boolean;
  /** The connection went away before the body was complete. */
  onGone?(): void;
}

/** Told how a body is coming along (the edge's watch on slow bodies). */
export interface BodyProgress {
  /** Bytes that just arrived. */
  add(bytes: number): void;
  /** The body is complete, refused, or its connection is gone. */
  done(): void;
}

export function announcedLength(req: IncomingMessage): number {
  const raw = req.headers['content-length'];
  return raw === undefined ? 0 : Number(raw);
}

/** Stops reading a body: nothing more is kept and `onBody` will not run. */
export type StopReading = () => void;

export function readCappedBody(req: IncomingMessage, maxBytes: number, handlers: BodyHandlers, progress?: BodyProgress): StopReading {
  const chunks: Buffer[] = [];
  let size = 0;
  let refused = false;
  let dropped = 0;
  const stop = (): void => {
    refused = true;
    chunks.length = 0;
    progress?.done();
  };
  const refuse = (): void => {
    stop();
    handlers.onTooLarge();
  };
  let ended = false;
  req.on('error', () => undefined); // an aborted upload: nobody left to answer
  req.on('close', () => {
    progress?.done();
    if (!ended && !refused) handlers.onGone?.();
  });
  req.on('data', (chunk: Buffer) => {
    if (refused) {
      dropped += chunk.length;
      if (dropped > REFUSED_BODY_DRAIN_BYTES) req.socket.destroy();
      return;
    }
    progress?.add(chunk.length);
    size += chunk.length;
    if (size > maxBytes) refuse();
    else if (!handlers.onPart) chunks.push(chunk);
    else if (!handlers.onPart(chunk)) req.pause();
  });
  req.on('end', () => {
    ended = true;
    if (refused) return;
    progress?.done();
    handlers.onBody(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size));
  });
  if (announcedLength(req) > maxBytes) refuse();
  return stop;
}
