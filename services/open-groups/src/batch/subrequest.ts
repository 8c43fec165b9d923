// The subrequests of /batch and /sequence (§1.12): parsing `{method, path, headers,
// json|b64|bytes}` and turning an answer into `{code, headers, body}`.
import { fromBase64 } from '@starling/crypto';
import { bytesReply, JSON_TYPE, splitTarget, type EdgeRequest, type Reply } from '@starling/platform';
import { BadInput } from '../domain/errors';
import type { Method } from '../http/types';

const METHODS = new Set<string>(['GET', 'POST', 'PUT', 'DELETE']);

export function parseMethod(value: unknown): Method {
  if (typeof value !== 'string' || !METHODS.has(value.toUpperCase())) throw new BadInput('Invalid subrequest method');
  return value.toUpperCase() as Method;
}

/** Header object with string values only, keys lower-cased. */
export function parseHeaders(value: unknown): Record<string, string> {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) throw new BadInput('Invalid subrequest headers');
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(value)) {
    if (typeof v !== 'string') throw new BadInput('Invalid subrequest headers: values must be strings');
    out[k.toLowerCase()] = v;
  }
  return out;
}

/** One subrequest as a request of its own (path as written; the dispatcher decodes it). */
export function parseSubrequest(item: unknown): EdgeRequest {
  if (typeof item !== 'object' || item === null || Array.isArray(item)) throw new BadInput('Invalid subrequest');
  const sub = item as Record<string, unknown>;
  const method = parseMethod(sub.method);
  if (typeof sub.path !== 'string' || !sub.path.startsWith('/')) throw new BadInput('Invalid subrequest path');
  const headers = parseHeaders(sub.headers);
  const forms = ['json', 'b64', 'bytes'].filter((k) => sub[k] !== undefined);
  let body = Buffer.alloc(0);
  if (method === 'GET' || method === 'DELETE') {
    if (forms.length) throw new BadInput(`${method} subrequests cannot have a body`);
  } else {
    if (forms.length !== 1) throw new BadInput(`${method} subrequests need exactly one of json, b64, bytes`);
    if (forms[0] === 'json') {
      body = Buffer.from(JSON.stringify(sub.json));
      headers['content-type'] ??= JSON_TYPE;
    } else if (forms[0] === 'b64') {
      if (typeof sub.b64 !== 'string') throw new BadInput('Invalid subrequest b64 body');
      try {
        body = Buffer.from(fromBase64(sub.b64));
      } catch {
        throw new BadInput('Invalid subrequest b64 body');
      }
    } else {
      if (typeof sub.bytes !== 'string') throw new BadInput('Invalid subrequest bytes body');
      body = Buffer.from(sub.bytes, 'utf8');
    }
  }
  return { method, ...splitTarget(sub.path), headers, body };
}

/**
 * An answer inside a batch reply, as JSON bytes: `{"code", "headers" (lower case, without
 * content-length), "body"}`, a JSON body placed as our routes wrote it (never parsed and written
 * again: a batch of room reads carries megabytes of it), any other body base64.
 */
export function encodeSubresponse(res: Reply): Buffer {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(res.headers)) if (k.toLowerCase() !== 'content-length') headers[k.toLowerCase()] = v;
  const body = Buffer.from(res.body.buffer, res.body.byteOffset, res.body.byteLength);
  const inline = headers['content-type'] === JSON_TYPE ? (body.length ? body : NULL) : Buffer.from(JSON.stringify(body.toString('base64')));
  return Buffer.concat([Buffer.from(`{"code":${res.status},"headers":${JSON.stringify(headers)},"body":`), inline, CLOSE]);
}

/** Bytes copied into a batch's answer per turn of the event loop (a long copy would hold it). */
const COPY_SLICE_BYTES = 1024 * 1024;

/** The answer of a whole batch: its subresponses as one JSON array, put together a slice at a time. */
export async function batchAnswer(parts: Buffer[]): Promise<Reply> {
  const pieces: Buffer[] = [OPEN_LIST];
  parts.forEach((part, i) => pieces.push(...(i ? [COMMA, part] : [part])));
  pieces.push(CLOSE_LIST);
  const answer = Buffer.allocUnsafe(pieces.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  let sinceYield = 0;
  for (const piece of pieces) {
    piece.copy(answer, offset);
    offset += piece.length;
    sinceYield += piece.length;
    if (sinceYield >= COPY_SLICE_BYTES) {
      sinceYield = 0;
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }
  return bytesReply(200, JSON_TYPE, answer);
}

const NULL = Buffer.from('null');
const CLOSE = Buffer.from('}');
const OPEN_LIST = Buffer.from('[');
const CLOSE_LIST = Buffer.from(']');
const COMMA = Buffer.from(',');
