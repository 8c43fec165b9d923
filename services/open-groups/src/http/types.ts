// One request shape for every way a request reaches the routes: direct HTTP, the inner request of
// an onion request, and each subrequest of /batch or /sequence. The edge hands over the path as
// sent; SOGS routes and signatures work on the percent-decoded path.
import type { EdgeRequest } from '@starling/platform';

export type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';

/** Methods the dispatcher runs (HEAD too: a 405 there, as upstream); another method gets 405 on a known path, else the edge's 404. */
export const SOGS_METHODS: ReadonlySet<string> = new Set(['GET', 'POST', 'PUT', 'DELETE', 'HEAD']);

export interface SogsRequest {
  /** Upper case. */
  method: string;
  /** URL-decoded path, without the query string (this is what the auth signature covers). */
  path: string;
  /** Raw query string without the leading `?`; empty when there is none. */
  query: string;
  /** Header names in lower case. */
  headers: Record<string, string>;
  /** Exact body bytes (hashed by the auth signature). */
  body: Buffer;
}

/** The decoded form of a raw path; raw UTF-8 with a stray '%' is signed and routed as sent. */
export function decodePath(raw: string): string {
  if (!raw.includes('%')) return raw;
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

/** An edge (or onion, or subrequest) request as the routes see it: path decoded, nothing else. */
export function sogsRequest(req: EdgeRequest, path = decodePath(req.path)): SogsRequest {
  return { method: req.method, path, query: req.query, headers: req.headers, body: req.body };
}
