// What the edge hands a route, and how a service tells the edge which route serves a request.
// Simple services register exact paths; a service with its own router (the community server,
// the file server) mounts a RouteTable that resolves method and path itself.
import { textReply, type Reply } from './reply';

export interface EdgeRequest {
  /** Upper case. */
  method: string;
  /** The request target's path, as sent (not percent-decoded). */
  path: string;
  /** The raw query string without `?`; empty when there is none. */
  query: string;
  /** Lower-case names; repeated headers joined with ", ". */
  headers: Record<string, string>;
  body: Buffer;
  /**
   * The body as it arrives, for a route that streams it (`streamsBody`; `body` is then empty).
   * Reading it is what lets more arrive; it fails when the body is refused or its client goes away.
   */
  bodyParts?: AsyncIterable<Buffer>;
  /**
   * The client's address, for per-client rate limits only: never log, store or forward it.
   * Absent for requests that did not come from a socket (onion inner requests, subrequests).
   */
  peer?: string;
}

export type RouteHandler = (req: EdgeRequest) => Reply | Promise<Reply>;

export interface ResolvedRoute {
  /** The route's template for metrics (`/room/:token`), never the raw path. */
  route: string;
  /** Largest body this route accepts; the edge's default when absent. */
  maxBodyBytes?: number;
  /**
   * The handler runs once the headers are in and reads `bodyParts`: for a body kept elsewhere than
   * in memory (an upload hashed and written to disk as it arrives). A part is dropped once taken,
   * so the process never holds a whole 10 MB body, and its buffers die young: V8 frees them in a
   * scavenge, where a body held for the whole request is freed by a full collection.
   */
  streamsBody?: boolean;
  handle: RouteHandler;
}

export interface RouteTable {
  /** The route serving `method path`, or undefined when this table has none (the next is asked). */
  resolve(method: string, path: string): ResolvedRoute | undefined;
}

/** The answer to a known path asked with a method it does not serve. */
export type MethodNotAllowed = (req: { method: string; path: string }, allow: string) => Reply;

export interface ExactRoute extends Omit<ResolvedRoute, 'route'> {
  method: string;
  path: string;
}

/** Routes by exact path; a known path asked with another method gets 405 and `Allow`. */
export class ExactRoutes implements RouteTable {
  private readonly byPath = new Map<string, Map<string, ExactRoute>>();

  private readonly methodNotAllowed: MethodNotAllowed;

  constructor(methodNotAllowed?: MethodNotAllowed) {
    this.methodNotAllowed = methodNotAllowed ?? ((_req, allow) => textReply(405, 'Method Not Allowed', { allow }));
  }

  add(...routes: ExactRoute[]): this {
    for (const route of routes) {
      const methods = this.byPath.get(route.path) ?? new Map<string, ExactRoute>();
      if (methods.has(route.method)) throw new Error(`route ${route.method} ${route.path} registered twice`);
      methods.set(route.method, route);
      this.byPath.set(route.path, methods);
    }
    return this;
  }

  resolve(method: string, path: string): ResolvedRoute | undefined {
    const methods = this.byPath.get(path);
    if (!methods) return undefined;
    const route = methods.get(method);
    if (route) return { ...route, route: route.path };
    const allow = [...methods.keys()].join(', ');
    return { route: path, maxBodyBytes: 0, handle: () => this.methodNotAllowed({ method, path }, allow) };
  }
}

/** Splits a request target into its path and raw query. */
export function splitTarget(target: string): { path: string; query: string } {
  const q = target.indexOf('?');
  return q < 0 ? { path: target, query: '' } : { path: target.slice(0, q), query: target.slice(q + 1) };
}
