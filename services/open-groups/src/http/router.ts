// The one route table of the community server: every feature module adds its routes here (in
// onModuleInit), and the dispatcher serves them to direct HTTP, onion inner requests and batch
// subrequests alike. Patterns mirror the SOGS v3 paths; a typed segment that does not match its
// type means the route does not match (so a bad id answers 404, as upstream's URL converters do).
import { UNMATCHED_ROUTE, type EdgeRequest, type Reply } from '@starling/platform';
import { ROOM_TOKEN_RE } from '../rooms/room';
import type { RoomWithAccess } from '../rooms/rooms.model';
import type { User } from '../users/user';
import type { Method, SogsRequest } from './types';

/** Segment kinds: room token, unsigned integer, session ids, one free segment, rest of the path. */
type SegmentKind = 'token' | 'int' | 'anysid' | 'blindsid' | 'sid' | 'segment' | 'rest';

interface Segment {
  literal?: string;
  name?: string;
  kind?: SegmentKind;
}

/** Who may call a route before its own permission checks run. */
export type AuthRequirement = 'none' | 'user' | 'blinded';

export interface RouteContext {
  req: SogsRequest;
  params: Record<string, string>;
  query: URLSearchParams;
  user: User | null;
  /**
   * For a route marked `readsRoom`: the room `params.token` with the caller's access (null: no
   * such room), read with the caller's user row. Absent when it was not fetched that way.
   */
  prefetchedRoom?: RoomWithAccess | null;
  /** Runs a subrequest as the user that signed the outermost request (/batch and /sequence). */
  dispatch: (sub: EdgeRequest) => Promise<Reply>;
}

export interface RouteDef {
  method: Method;
  /** e.g. `/room/<token:token>/messages/since/<seqno:int>` */
  pattern: string;
  auth?: AuthRequirement;
  /**
   * The handler starts by reading the caller's access to `params.token` (and changes nothing
   * before that): the dispatcher fetches it in the same query as the signer's user row.
   */
  readsRoom?: boolean;
  /** Label for metrics; defaults to the pattern. */
  name?: string;
  /** The route runs other requests: /batch and /sequence ('batch'), the onion endpoints ('onion'). */
  nests?: 'batch' | 'onion';
  handler: (ctx: RouteContext) => Promise<Reply>;
}

interface CompiledRoute extends RouteDef {
  segments: Segment[];
}

/** A route and its parameters, or the methods the path is served with (none: an unknown path). */
export type RouteMatch = { route: CompiledRoute; params: Record<string, string> } | { allow: Method[] };

/** The label of a match in metrics: the route's template, never the raw path. */
export function routeLabel(matched: RouteMatch): string {
  return 'route' in matched ? (matched.route.name ?? matched.route.pattern) : UNMATCHED_ROUTE;
}

/**
 * Why a request that arrived inside another (a batch subrequest, an onion request's inner one)
 * may not run `route`, or undefined. One request's work stays bounded: a batch cannot hold
 * batches or onion requests (each could hold 256 more), and an onion request cannot hold another.
 */
export function nestingRefusal(via: 'http' | 'onion' | 'batch', route: Pick<RouteDef, 'nests'>): string | undefined {
  if (via === 'batch' && route.nests) return 'Invalid batch request: a subrequest cannot be /batch, /sequence or an onion request';
  if (via === 'onion' && route.nests === 'onion') return 'Invalid onion request: it cannot carry another onion request';
  return undefined;
}

const INT_RE = /^[0-9]{1,15}$/;
const HEX66 = /^[0-9a-fA-F]{66}$/;

function compile(pattern: string): Segment[] {
  return pattern
    .split('/')
    .slice(1)
    .map((part) => {
      const m = /^<(\w+):(\w+)>$/.exec(part);
      if (!m) return { literal: part };
      return { name: m[1], kind: m[2] as SegmentKind };
    });
}

export class Router {
  private readonly routes: CompiledRoute[] = [];

  constructor(private readonly requireBlinding: boolean) {}

  add(...defs: RouteDef[]): void {
    for (const def of defs) this.routes.push({ ...def, segments: compile(def.pattern) });
  }

  /** Finds the route for a decoded path; otherwise the methods that path has (405 with Allow) or none (404). */
  match(method: string, path: string): RouteMatch {
    const parts = path.split('/').slice(1);
    const allow = new Set<Method>();
    for (const route of this.routes) {
      const params = this.matchSegments(route.segments, parts);
      if (!params) continue;
      if (route.method === method) return { route, params };
      allow.add(route.method);
    }
    return { allow: [...allow] };
  }

  private matchSegments(segments: Segment[], parts: string[]): Record<string, string> | null {
    const params: Record<string, string> = {};
    for (let i = 0; i < segments.length; i++) {
      const seg = segments[i];
      if (seg.kind === 'rest') {
        const rest = parts.slice(i).join('/');
        if (rest === '') return null;
        params[seg.name!] = rest;
        return params;
      }
      const part = parts[i];
      if (part === undefined) return null;
      if (seg.literal !== undefined) {
        if (seg.literal !== part) return null;
        continue;
      }
      if (!this.segmentMatches(seg.kind!, part)) return null;
      params[seg.name!] = seg.kind === 'anysid' || seg.kind === 'blindsid' || seg.kind === 'sid' ? part.toLowerCase() : part;
    }
    return parts.length === segments.length ? params : null;
  }

  private segmentMatches(kind: SegmentKind, part: string): boolean {
    switch (kind) {
      case 'token':
        return ROOM_TOKEN_RE.test(part);
      case 'int':
        return INT_RE.test(part);
      case 'segment':
        return part.length > 0;
      case 'anysid':
        return HEX66.test(part) && /^(05|15|25)/.test(part);
      case 'blindsid':
        return HEX66.test(part) && /^(15|25)/.test(part);
      case 'sid':
        return HEX66.test(part) && (this.requireBlinding ? /^(15|25)/ : /^(05|15|25)/).test(part);
      default:
        return false;
    }
  }
}
