// Byte <-> text helpers. Decoders are strict: protocol fields arrive from untrusted peers, and
// Node's own Buffer decoders silently skip bad characters, which would turn garbage into a key.
import { CryptoError } from './errors';

const HEX = /^(?:[0-9a-fA-F]{2})*$/;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
const BASE64_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** Lowercase hex, as every Session id and key is written. */
export function toHex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}

/**
 * Decodes hex (either case). With `expectedLength` (in bytes) a different size is BAD_LENGTH.
 * Odd length or a non-hex character is BAD_ENCODING.
 */
export function fromHex(text: string, expectedLength?: number): Uint8Array {
  if (typeof text !== 'string' || !HEX.test(text)) {
    throw new CryptoError('BAD_ENCODING', 'expected an even number of hex characters (0-9, a-f)');
  }
  checkLength(text.length / 2, expectedLength);
  return new Uint8Array(Buffer.from(text, 'hex'));
}

/** Standard base64 (RFC 4648 alphabet), padded unless `pad` is false. */
export function toBase64(bytes: Uint8Array, pad = true): string {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
  return pad ? text : text.replace(/=+$/, '');
}

/**
 * Decodes standard base64, padded or not. Rejects other alphabets, whitespace, wrong padding and
 * non-canonical trailing bits (two texts must never decode to the same bytes).
 */
export function fromBase64(text: string, expectedLength?: number): Uint8Array {
  if (typeof text !== 'string' || !BASE64.test(text)) {
    throw new CryptoError('BAD_ENCODING', 'expected standard base64 (A-Z, a-z, 0-9, +, /)');
  }
  let end = text.length;
  while (end > 0 && text.charCodeAt(end - 1) === 0x3d /* = */) end--;
  if (end % 4 === 1 || (end !== text.length && text.length % 4 !== 0)) {
    throw new CryptoError('BAD_ENCODING', 'base64 text has an impossible length or padding');
  }
  // Canonical: the last character's bits beyond the data are zero. Checked on that character
  // rather than by encoding the bytes again (a storage node decodes up to 100 KB per message).
  const unusedBits = [0, 0, 0x0f, 0x03][end % 4];
  if (unusedBits && BASE64_ALPHABET.indexOf(text[end - 1]) & unusedBits) {
    throw new CryptoError('BAD_ENCODING', 'base64 text is not canonical (stray trailing bits)');
  }
  const bytes = Buffer.from(text, 'base64');
  checkLength(bytes.length, expectedLength);
  return new Uint8Array(bytes);
}

/**
 * A field that may be hex or base64 (the X-SOGS-* headers): exactly 2*size characters means hex,
 * anything else is tried as base64. The result must be `size` bytes.
 */
export function fromHexOrBase64(text: string, size: number): Uint8Array {
  if (typeof text === 'string' && text.length === size * 2) return fromHex(text, size);
  return fromBase64(text, size);
}

export function utf8(text: string): Uint8Array {
  return new Uint8Array(Buffer.from(text, 'utf8'));
}

export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/** Constant-time comparison of two byte strings (false when the lengths differ). */
export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i] ^ b[i];
  return diff === 0;
}

/** Throws BAD_LENGTH unless `bytes` is a Uint8Array of exactly `length` bytes. */
export function requireBytes(bytes: unknown, length: number, what: string): Uint8Array {
  if (!(bytes instanceof Uint8Array)) {
    throw new CryptoError('BAD_LENGTH', `${what} must be a Uint8Array of ${length} bytes`);
  }
  if (bytes.length !== length) {
    throw new CryptoError('BAD_LENGTH', `${what} must be ${length} bytes, got ${bytes.length}`);
  }
  return bytes;
}

function checkLength(actual: number, expected: number | undefined): void {
  if (expected !== undefined && actual !== expected) {
    throw new CryptoError('BAD_LENGTH', `expected ${expected} bytes, got ${actual}`);
  }
}
