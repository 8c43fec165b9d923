import type { Readable } from 'stream';

export class BodyTooLarge extends Error {
  override name = 'BodyTooLarge';
}

/** Reads a whole stream, refusing (without reading further) once it passes maxBytes. */
export async function readCapped(body: AsyncIterable<Uint8Array>, maxBytes: number): Promise<Buffer> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.length;
    if (size > maxBytes) throw new BodyTooLarge(`body exceeds ${maxBytes} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/** A response body as one buffer (onion replies are encrypted whole). */
export async function bufferOf(body: Buffer | Readable): Promise<Buffer> {
  return Buffer.isBuffer(body) ? body : readCapped(body, Number.MAX_SAFE_INTEGER);
}
