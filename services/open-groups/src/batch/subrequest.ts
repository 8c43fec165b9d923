// Subrequest encoding shared by /batch, /sequence and onion v4: parsing `{method, path, headers,
// json|b64|bytes}` and turning a response into `{code, headers, body}`.
import { fromBase64 } from '@starling/crypto';
import { badRequest } from '../http/errors';
import { JSON_TYPE, Method, SogsRequest, SogsResponse, splitTarget } from '../http/types';

const METHODS = new Set<Method>(['GET', 'POST', 'PUT', 'DELETE']);

export function parseMethod(value: unknown): Method {
  if (typeof value !== 'string' || !METHODS.has(value.toUpperCase() as Method)) throw badRequest('Invalid subrequest method');
  return value.toUpperCase() as Method;
}

/** Header object with string values only, keys lower-cased. */
export function parseHeaders(value: unknown): Record<string, string> {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) throw badRequest('Invalid subrequest headers');
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(value)) {
    if (typeof v !== 'string') throw badRequest('Invalid subrequest headers: values must be strings');
    out[k.toLowerCase()] = v;
  }
  return out;
}

export function parseSubrequest(item: unknown): SogsRequest {
  if (typeof item !== 'object' || item === null || Array.isArray(item)) throw badRequest('Invalid subrequest');
  const sub = item as Record<string, unknown>;
  const method = parseMethod(sub.method);
  if (typeof sub.path !== 'string' || !sub.path.startsWith('/')) throw badRequest('Invalid subrequest path');
  const headers = parseHeaders(sub.headers);
  const forms = ['json', 'b64', 'bytes'].filter((k) => sub[k] !== undefined);
  let body = Buffer.alloc(0);
  if (method === 'GET' || method === 'DELETE') {
    if (forms.length) throw badRequest(`${method} subrequests cannot have a body`);
  } else {
    if (forms.length !== 1) throw badRequest(`${method} subrequests need exactly one of json, b64, bytes`);
    if (forms[0] === 'json') {
      body = Buffer.from(JSON.stringify(sub.json));
      headers['content-type'] ??= JSON_TYPE;
    } else if (forms[0] === 'b64') {
      if (typeof sub.b64 !== 'string') throw badRequest('Invalid subrequest b64 body');
      try {
        body = Buffer.from(fromBase64(sub.b64));
      } catch {
        throw badRequest('Invalid subrequest b64 body');
      }
    } else {
      if (typeof sub.bytes !== 'string') throw badRequest('Invalid subrequest bytes body');
      body = Buffer.from(sub.bytes, 'utf8');
    }
  }
  return { method, ...splitTarget(sub.path), headers, body };
}

/** Response headers as relayed inside batch and onion replies: lower-case, no content-length. */
export function relayedHeaders(res: SogsResponse): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(res.headers)) if (k.toLowerCase() !== 'content-length') out[k.toLowerCase()] = v;
  return out;
}

export function encodeSubresponse(res: SogsResponse): { code: number; headers: Record<string, string>; body: unknown } {
  const headers = relayedHeaders(res);
  let body: unknown;
  if (headers['content-type'] === JSON_TYPE) {
    body = res.body.length ? JSON.parse(res.body.toString('utf8')) : null;
  } else {
    body = res.body.toString('base64');
  }
  return { code: res.status, headers, body };
}
