// Reading one JSON field of a push request. Byte values may be hex, base64 (padded or not) or, as
// upstream also allows, the raw bytes themselves as a string of exactly the right length.
import { fromBase64, fromHex } from '@starling/crypto';
import { refuse } from './subscribe-error';

export type JsonObject = Record<string, unknown>;

export function requireField(request: JsonObject, key: string): unknown {
  if (!Object.prototype.hasOwnProperty.call(request, key) || request[key] === undefined) {
    throw refuse(`Missing required parameter: ${key}`);
  }
  return request[key];
}

export function stringField(request: JsonObject, key: string): string {
  const value = requireField(request, key);
  if (typeof value !== 'string') throw refuse(`Invalid ${key}: expected a string`);
  return value;
}

/** An integer field; JSON floats and numbers outside the safe range are refused. */
export function integerField(request: JsonObject, key: string): number {
  const value = requireField(request, key);
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) throw refuse(`Invalid ${key}: expected an integer`);
  return value;
}

export function booleanField(request: JsonObject, key: string): boolean {
  const value = requireField(request, key);
  if (typeof value !== 'boolean') throw refuse(`Invalid ${key}: expected true or false`);
  return value;
}

/** `size` bytes given as raw characters, hex, or base64 (upstream from_hex_or_b64). */
export function bytesField(request: JsonObject, key: string, size: number): Buffer {
  return decodeBytes(stringField(request, key), size);
}

export function decodeBytes(text: string, size: number): Buffer {
  const raw = Buffer.from(text, 'utf8');
  if (raw.length === size) return raw;
  try {
    if (text.length === size * 2 && /^[0-9a-fA-F]*$/.test(text)) return Buffer.from(fromHex(text, size));
    const unpadded = text.replace(/=+$/, '');
    if (unpadded.length === Math.ceil((size * 4) / 3)) return Buffer.from(fromBase64(unpadded, size));
  } catch {
    // falls through to the refusal
  }
  throw refuse('Invalid value: expected bytes, hex, or base64');
}
