// The bytes a call carries on its data channel: binary messages are the stream, a text message
// "eof" says the sender's stream is complete, and "eof-ack" answers it once everything before it
// arrived. Each side sends its stream (maybe empty) and eof, so both know when the exchange is over,
// and a side hangs up only after the ack: closing earlier would drop bytes still queued.
import { createHash } from 'crypto';
import type { CallChannel } from './call-peer';

export const END_OF_STREAM = 'eof';
export const END_ACK = 'eof-ack';
/** Data channel messages stay well under SCTP's usual 64 KiB limit. */
const CHUNK_BYTES = 16 * 1024;

export interface ReceivedStream {
  bytes: number;
  sha256: string;
}

export interface StreamExchange {
  /** The peer's whole stream arrived (its eof). */
  received: Promise<ReceivedStream>;
  /** The peer confirmed it has all of ours. */
  delivered: Promise<void>;
}

/** Sends `data` then eof, hands every arriving chunk to `onChunk`, and acknowledges the peer's eof. */
export function exchangeStreams(channel: CallChannel, data: Uint8Array, onChunk: (chunk: Buffer) => void): StreamExchange {
  let received!: (stream: ReceivedStream) => void;
  let delivered!: () => void;
  const exchange: StreamExchange = {
    received: new Promise((resolve) => (received = resolve)),
    delivered: new Promise((resolve) => (delivered = resolve)),
  };
  const hash = createHash('sha256');
  let bytes = 0;
  channel.onMessage((message) => {
    if (message === END_OF_STREAM) {
      channel.send(END_ACK);
      received({ bytes, sha256: hash.digest('hex') });
    } else if (message === END_ACK) {
      delivered();
    } else if (typeof message !== 'string') {
      bytes += message.length;
      hash.update(message);
      onChunk(message);
    }
  });
  for (let at = 0; at < data.length; at += CHUNK_BYTES) channel.send(Buffer.from(data.subarray(at, at + CHUNK_BYTES)));
  channel.send(END_OF_STREAM);
  return exchange;
}
