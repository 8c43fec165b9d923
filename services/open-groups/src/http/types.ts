// One request shape for every way a request reaches the server: direct HTTP, the inner request of
// an onion request, and each subrequest of /batch or /sequence.

export type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';

export interface SogsRequest {
  method: Method;
  /** URL-decoded path, without the query string (this is what the auth signature covers). */
  path: string;
  /** Raw query string without the leading `?`; empty when there is none. */
  query: string;
  /** Header names in lower case. */
  headers: Record<string, string>;
  /** Exact body bytes (hashed by the auth signature). */
  body: Buffer;
}

export interface SogsResponse {
  status: number;
  /** Header names in lower case; content-length is left to the transport. */
  headers: Record<string, string>;
  body: Buffer;
}

export const JSON_TYPE = 'application/json';
export const TEXT_TYPE = 'text/plain; charset=utf-8';
export const OCTET_TYPE = 'application/octet-stream';

export function jsonResponse(value: unknown, status = 200, headers: Record<string, string> = {}): SogsResponse {
  return { status, headers: { 'content-type': JSON_TYPE, ...headers }, body: Buffer.from(JSON.stringify(value)) };
}

export function textResponse(text: string, status: number): SogsResponse {
  return { status, headers: { 'content-type': TEXT_TYPE }, body: Buffer.from(text) };
}

/** Splits a raw request target (`/path?query`) into the decoded path and the raw query. */
export function splitTarget(target: string): { path: string; query: string } {
  const q = target.indexOf('?');
  const rawPath = q < 0 ? target : target.slice(0, q);
  const query = q < 0 ? '' : target.slice(q + 1);
  let path: string;
  try {
    path = decodeURIComponent(rawPath);
  } catch {
    path = rawPath; // raw UTF-8 with a stray '%': sign and route it as sent
  }
  return { path, query };
}
