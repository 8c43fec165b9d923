// What travels inside the destination layer to an HTTP server (storage-onion.md 3.6,
// sogs-fileserver.md 3.3-3.4). v4: a bencoded list of one or two byte strings, JSON metadata first,
// then the raw body. v3 (deprecated): one JSON object.
import { decodeStringList, encodeStringList } from './bencode-list';
import { CryptoError } from './errors';

export interface V4RequestMeta {
  method: string;
  /** Starts with '/', may carry a query. */
  endpoint: string;
  headers: Record<string, string>;
}

export interface V4Request {
  meta: V4RequestMeta;
  /** Present for POST/PUT only. */
  body?: Uint8Array;
}

export interface V4Response {
  code: number;
  /** Lower-case names; content-length is never carried. */
  headers: Record<string, string>;
  body: Uint8Array;
}

export interface V3Request {
  endpoint: string;
  method: string;
  body?: string;
  headers?: Record<string, string>;
}

/** What pysogs answers an unparseable v4 request with (a fresh object each call). */
export function v4BadRequestResponse(): V4Response {
  return {
    code: 400,
    headers: { 'content-type': 'text/plain; charset=utf-8' },
    body: new Uint8Array(Buffer.from('Invalid v4 onion request', 'utf8')),
  };
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

export function encodeV4Request(request: V4Request): Uint8Array {
  const meta = { method: request.meta.method, endpoint: request.meta.endpoint, headers: request.meta.headers };
  const parts = [jsonBytes(meta)];
  if (request.body !== undefined) parts.push(request.body);
  return encodeStringList(parts);
}

/** Strict: exactly `l` + 1 or 2 strings + `e`, meta with string method and '/'-endpoint. */
export function decodeV4Request(bytes: Uint8Array): V4Request {
  const parts = decodeStringList(bytes);
  if (parts.length < 1 || parts.length > 2) {
    throw new CryptoError('MALFORMED', `v4 request must hold 1 or 2 strings, found ${parts.length}`);
  }
  const meta = parseJsonObject(parts[0], 'v4 request metadata');
  const { method, endpoint } = meta;
  if (typeof method !== 'string' || method.length === 0) {
    throw new CryptoError('MALFORMED', 'v4 request metadata needs a "method"');
  }
  if (typeof endpoint !== 'string' || !endpoint.startsWith('/')) {
    throw new CryptoError('MALFORMED', 'v4 request "endpoint" must start with /');
  }
  const request: V4Request = { meta: { method, endpoint, headers: stringMap(meta.headers ?? {}, 'headers') } };
  if (parts.length === 2) request.body = parts[1];
  return request;
}

/** Always two strings; header names are lower-cased and content-length dropped, as pysogs does. */
export function encodeV4Response(response: V4Response): Uint8Array {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(response.headers)) {
    const lower = name.toLowerCase();
    if (lower !== 'content-length') headers[lower] = value;
  }
  return encodeStringList([jsonBytes({ code: response.code, headers }), response.body]);
}

export function decodeV4Response(bytes: Uint8Array): V4Response {
  const parts = decodeStringList(bytes);
  if (parts.length !== 2) {
    throw new CryptoError('MALFORMED', `v4 response must hold 2 strings, found ${parts.length}`);
  }
  const meta = parseJsonObject(parts[0], 'v4 response metadata');
  if (!Number.isInteger(meta.code)) throw new CryptoError('MALFORMED', 'v4 response needs an integer "code"');
  return { code: meta.code as number, headers: stringMap(meta.headers ?? {}, 'headers'), body: parts[1] };
}

export function encodeV3Request(request: V3Request): Uint8Array {
  return jsonBytes(request);
}

/** v3 plaintext: a JSON object with string `endpoint` and `method`. */
export function decodeV3Request(bytes: Uint8Array): V3Request {
  const value = parseJsonObject(bytes, 'v3 request');
  const { endpoint, method, body, headers } = value;
  if (typeof endpoint !== 'string' || typeof method !== 'string') {
    throw new CryptoError('MALFORMED', 'v3 request needs string "endpoint" and "method"');
  }
  if (body !== undefined && body !== null && typeof body !== 'string') {
    throw new CryptoError('MALFORMED', 'v3 request "body" must be a string');
  }
  const request: V3Request = { endpoint, method };
  if (typeof body === 'string') request.body = body;
  if (headers !== undefined) request.headers = stringMap(headers, 'headers');
  return request;
}

function jsonBytes(value: unknown): Uint8Array {
  return new Uint8Array(Buffer.from(JSON.stringify(value), 'utf8'));
}

function parseJsonObject(bytes: Uint8Array, what: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(strictUtf8.decode(bytes));
  } catch {
    throw new CryptoError('MALFORMED', `${what} is not UTF-8 JSON`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new CryptoError('MALFORMED', `${what} must be a JSON object`);
  }
  return value as Record<string, unknown>;
}

function stringMap(value: unknown, what: string): Record<string, string> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new CryptoError('MALFORMED', `"${what}" must be a JSON object`);
  }
  const out: Record<string, string> = {};
  for (const [name, entry] of Object.entries(value)) {
    if (typeof entry !== 'string') throw new CryptoError('MALFORMED', `"${what}.${name}" must be a string`);
    out[name] = entry;
  }
  return out;
}
