// The destination's reply travels back through the relays untouched, encrypted once with the final
// layer's key (storage-onion.md 3.2, 3.5, 3.6). Storage nodes base64 it; servers send it raw (v4).
import { fromBase64, toBase64 } from './encoding';
import { CryptoError } from './errors';
import { decryptLayer, encryptLayer, LayerKey } from './onion-layer';

export type OnionResponseEncoding = 'binary' | 'base64';

/** A storage node's reply inside the encryption: `{"status": code, "body": …}`. */
export interface SnodeOnionReply {
  status: number;
  body: unknown;
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Client side: decrypts the HTTP body of a 200 answer. With 'base64' (storage node) the legacy
 * `{"result": "<base64>"}` wrapping is accepted too.
 */
export function decryptOnionResponse(
  responseKey: LayerKey,
  body: Uint8Array | string,
  encoding: OnionResponseEncoding,
): Uint8Array {
  if (encoding === 'binary') {
    if (typeof body === 'string') throw new CryptoError('MALFORMED', 'a binary onion reply must be bytes');
    return decryptLayer(responseKey, body);
  }
  let text: string;
  try {
    text = (typeof body === 'string' ? body : strictUtf8.decode(body)).trim();
  } catch {
    throw new CryptoError('BAD_ENCODING', 'onion reply is not base64 text');
  }
  if (text.startsWith('{')) text = legacyResult(text);
  return decryptLayer(responseKey, fromBase64(text));
}

/**
 * Storage-node side: the HTTP body for a destination reply. With `json: false` (the default) the
 * body is sent as a JSON string (double encoding) unless it already is a string.
 */
export function encodeSnodeOnionReply(
  replyKey: LayerKey,
  reply: SnodeOnionReply,
  options: { json: boolean; base64: boolean },
): Uint8Array {
  const body = options.json || typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body);
  const sealed = encryptLayer(replyKey, Buffer.from(JSON.stringify({ status: reply.status, body }), 'utf8'));
  return options.base64 ? Buffer.from(toBase64(sealed), 'ascii') : sealed;
}

/** Client side: reads `status_code || status` and unwraps a double-encoded JSON body. */
export function parseSnodeOnionReply(plaintext: Uint8Array): SnodeOnionReply {
  let value: unknown;
  try {
    value = JSON.parse(strictUtf8.decode(plaintext));
  } catch {
    throw new CryptoError('MALFORMED', 'storage node reply is not JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new CryptoError('MALFORMED', 'storage node reply must be a JSON object');
  }
  const record = value as Record<string, unknown>;
  const status = record.status_code ?? record.status;
  if (!Number.isInteger(status)) throw new CryptoError('MALFORMED', 'storage node reply has no status');
  return { status: status as number, body: unwrapBody(record.body) };
}

function unwrapBody(body: unknown): unknown {
  if (typeof body !== 'string') return body;
  try {
    return JSON.parse(body);
  } catch {
    return body; // error bodies are plain text
  }
}

function legacyResult(text: string): string {
  try {
    const result = (JSON.parse(text) as Record<string, unknown>).result;
    if (typeof result === 'string') return result;
  } catch {
    // fall through to the error below
  }
  throw new CryptoError('MALFORMED', 'onion reply JSON carries no base64 "result"');
}
