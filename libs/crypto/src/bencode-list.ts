// Bencode restricted to what Session puts in one: a flat list of byte strings. Onion v4 requests
// and answers (onion-v4.ts) and push notification payloads (push-notice.ts) are both this shape.
import { concatBytes } from './encoding';
import { CryptoError } from './errors';

const LIST_START = 0x6c; // 'l'
const LIST_END = 0x65; // 'e'
const COLON = 0x3a;

/** `l` + `<len>:<bytes>` per part + `e`. */
export function encodeStringList(parts: readonly Uint8Array[]): Uint8Array {
  const pieces: Uint8Array[] = [Uint8Array.of(LIST_START)];
  for (const part of parts) pieces.push(Buffer.from(`${part.length}:`, 'ascii'), part);
  pieces.push(Uint8Array.of(LIST_END));
  return concatBytes(...pieces);
}

/** Strict: canonical length prefixes, nothing after the `e`. The parts are views into `bytes`. */
export function decodeStringList(bytes: Uint8Array): Uint8Array[] {
  if (bytes.length < 2 || bytes[0] !== LIST_START) {
    throw new CryptoError('MALFORMED', 'expected a bencoded list');
  }
  const parts: Uint8Array[] = [];
  let at = 1;
  while (at < bytes.length && bytes[at] !== LIST_END) {
    const colon = bytes.indexOf(COLON, at);
    const digits = colon < 0 ? '' : Buffer.from(bytes.subarray(at, colon)).toString('latin1');
    if (!/^(0|[1-9][0-9]{0,9})$/.test(digits)) {
      throw new CryptoError('MALFORMED', 'bencoded string has a bad length prefix');
    }
    const length = Number(digits);
    const start = colon + 1;
    if (length > bytes.length - start) throw new CryptoError('MALFORMED', 'bencoded string runs past the end');
    parts.push(bytes.subarray(start, start + length));
    at = start + length;
  }
  if (at !== bytes.length - 1) throw new CryptoError('MALFORMED', 'bencoded list is not terminated exactly once');
  return parts;
}
