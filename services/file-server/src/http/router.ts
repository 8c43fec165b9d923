// The file server's one route table, mounted on the edge. Direct HTTP and the inner requests of
// onion requests run through the same API routes (`dispatch`), so a route, its checks and its
// errors exist once. Every answer the table gives itself is JSON {"status_code": N} with the same
// HTTP status, as upstream: 404 for a path no route knows, 405 with Allow for a wrong method.
// The onion endpoints themselves are reached by direct HTTP only, and only with POST: any other
// method on their paths is the ordinary 404 of an unknown path.
import { Inject, Injectable } from '@nestjs/common';
import { BodyAbandoned, jsonReply, LOGGER, UNMATCHED_ROUTE, wholeReply, type EdgeRequest, type ExactRoute, type Logger, type Reply, type ResolvedRoute, type RouteTable } from '@starling/platform';
import { FileServerMetrics } from '../metrics';

/** The protocol's error answer: `{"status_code": N}` with HTTP status N, content type exactly application/json. */
export function errorReply(status: number, headers: Record<string, string> = {}): Reply {
  return jsonReply(status, { status_code: status }, headers);
}

/** A route of the API: path parameters by name, taken from the percent-decoded path. */
export type ApiHandler = (req: EdgeRequest, params: Record<string, string>) => Promise<Reply>;

interface ApiRoute {
  handle: ApiHandler;
  /** Over direct HTTP the handler reads the body as it arrives (see ResolvedRoute.streamsBody). */
  streamsBody?: boolean;
}

interface ApiPath {
  /** `/file/:id/info`: the metrics label, never a raw path. */
  template: string;
  pattern: RegExp;
  params: string[];
  methods: Map<string, ApiRoute>;
}

@Injectable()
export class FileServerRouter implements RouteTable {
  private readonly endpoints = new Map<string, ExactRoute>();
  private readonly paths: ApiPath[] = [];

  constructor(
    private readonly metrics: FileServerMetrics,
    @Inject(LOGGER) private readonly log: Logger,
  ) {}

  /** An API route, e.g. `add('GET', '/file/:id', handler)`; `:name` matches one path segment. */
  add(method: string, template: string, handle: ApiHandler, options: Omit<ApiRoute, 'handle'> = {}): this {
    let path = this.paths.find((p) => p.template === template);
    if (!path) {
      const params: string[] = [];
      const source = template
        .split('/')
        .map((segment) => (segment.startsWith(':') ? (params.push(segment.slice(1)), '([^/]+)') : segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
        .join('/');
      path = { template, pattern: new RegExp(`^${source}$`), params, methods: new Map() };
      this.paths.push(path);
    }
    if (path.methods.has(method)) throw new Error(`route ${method} ${template} registered twice`);
    path.methods.set(method, { handle, ...options });
    return this;
  }

  /** Routes reached by direct HTTP only (the onion endpoints), by exact path and method. */
  addEndpoints(routes: readonly ExactRoute[]): this {
    for (const route of routes) this.endpoints.set(`${route.method} ${route.path}`, route);
    return this;
  }

  resolve(method: string, path: string): ResolvedRoute {
    const endpoint = this.endpoints.get(`${method} ${path}`);
    if (endpoint) return { route: endpoint.path, maxBodyBytes: endpoint.maxBodyBytes, handle: endpoint.handle };
    return this.resolveApi(method, path);
  }

  /** Runs one request through the API routes: what an onion request's inner request gets, whole. */
  async dispatch(req: EdgeRequest): Promise<Reply> {
    return wholeReply(await this.resolveApi(req.method, req.path).handle(req));
  }

  /** The 404 of a file that does not exist, an id that cannot exist and an unknown path alike. */
  notFound(): Reply {
    this.metrics.rejected('not_found');
    return errorReply(404);
  }

  private resolveApi(method: string, rawPath: string): ResolvedRoute {
    let path: string;
    try {
      path = decodeURIComponent(rawPath);
    } catch {
      return this.unmatched();
    }
    for (const candidate of this.paths) {
      const match = candidate.pattern.exec(path);
      if (!match) continue;
      const api = candidate.methods.get(method);
      if (!api) {
        const allow = [...candidate.methods.keys()].join(', ');
        return {
          route: candidate.template,
          handle: () => {
            this.metrics.rejected('bad_method');
            return errorReply(405, { allow });
          },
        };
      }
      const params = Object.fromEntries(candidate.params.map((name, i) => [name, match[i + 1]!]));
      return { route: candidate.template, streamsBody: api.streamsBody, handle: (req) => this.run(candidate.template, api.handle, req, params) };
    }
    return this.unmatched();
  }

  private unmatched(): ResolvedRoute {
    return { route: UNMATCHED_ROUTE, handle: () => this.notFound() };
  }

  private async run(template: string, handler: ApiHandler, req: EdgeRequest, params: Record<string, string>): Promise<Reply> {
    try {
      return await handler(req, params);
    } catch (err) {
      if (err instanceof BodyAbandoned) throw err; // already answered by the edge, or nobody is left
      // The route and the error's name and message only: never request bytes, never who sent it.
      this.log.error({ err: errorSummary(err), route: template }, 'file request failed');
      return errorReply(500);
    }
  }
}

function errorSummary(err: unknown): string {
  return err instanceof Error ? `${err.name}: ${err.message}` : String(err);
}
