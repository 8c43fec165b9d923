// The onion blob: LE u32 length ‖ payload ‖ UTF-8 JSON object running to the end (storage-onion.md
// 3.3). Every hop and server parses blobs from strangers, so the parser trusts no byte of it.
import { concatBytes } from './encoding';
import { CryptoError } from './errors';

/** Largest onion request a hop or server accepts (pysogs and libsession use 10 MiB). */
export const MAX_ONION_REQUEST_BYTES = 10 * 1024 * 1024;

export interface OnionFrame {
  /** The length-prefixed part: a layer's ciphertext, or the plain request at a storage destination. */
  payload: Uint8Array;
  /** The routing / control JSON that follows it. */
  meta: Record<string, unknown>;
}

const LENGTH_BYTES = 4;
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

export function encodeOnionFrame(payload: Uint8Array, meta: Record<string, unknown>): Uint8Array {
  const prefix = new Uint8Array(LENGTH_BYTES);
  new DataView(prefix.buffer).setUint32(0, payload.length, true);
  return concatBytes(prefix, payload, Buffer.from(JSON.stringify(meta), 'utf8'));
}

/**
 * Splits a blob. A blob shorter than its length prefix, or over `maxBytes`, is BAD_LENGTH; JSON
 * that is missing, not UTF-8, not parseable or not an object is MALFORMED.
 */
export function decodeOnionFrame(blob: Uint8Array, maxBytes = MAX_ONION_REQUEST_BYTES): OnionFrame {
  if (!(blob instanceof Uint8Array)) throw new CryptoError('MALFORMED', 'onion blob must be bytes');
  if (blob.length > maxBytes) {
    throw new CryptoError('BAD_LENGTH', `onion blob of ${blob.length} bytes exceeds ${maxBytes}`);
  }
  if (blob.length < LENGTH_BYTES) {
    throw new CryptoError('BAD_LENGTH', 'onion blob is shorter than its length prefix');
  }
  const length = new DataView(blob.buffer, blob.byteOffset, LENGTH_BYTES).getUint32(0, true);
  if (length > blob.length - LENGTH_BYTES) {
    throw new CryptoError(
      'BAD_LENGTH',
      `onion blob claims ${length} payload bytes but carries ${blob.length - LENGTH_BYTES}`,
    );
  }
  const jsonBytes = blob.subarray(LENGTH_BYTES + length);
  return { payload: blob.subarray(LENGTH_BYTES, LENGTH_BYTES + length), meta: parseMeta(jsonBytes) };
}

function parseMeta(bytes: Uint8Array): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(strictUtf8.decode(bytes));
  } catch {
    throw new CryptoError('MALFORMED', 'onion blob has no valid UTF-8 JSON after its payload');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new CryptoError('MALFORMED', 'onion blob JSON must be an object');
  }
  return value as Record<string, unknown>;
}
