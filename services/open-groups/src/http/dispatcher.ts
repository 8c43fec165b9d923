// The one way into the route table. Direct HTTP, each onion request's inner request, and every
// /batch or /sequence subrequest pass through here, so they route, authenticate and fail alike.
import type { Logger } from '@starling/platform';
import type { Authenticator } from '../auth/authenticator';
import type { OpenGroupsMetrics } from '../ops/metrics';
import type { User } from '../users/user';
import { HttpError, unauthorized } from './errors';
import type { Router } from './router';
import { SogsRequest, SogsResponse, textResponse } from './types';

export type Via = 'http' | 'onion' | 'batch';

export class Dispatcher {
  constructor(
    private readonly router: Router,
    private readonly auth: Authenticator,
    private readonly metrics: OpenGroupsMetrics,
    private readonly logger: Logger,
  ) {}

  /** A request carrying its own X-SOGS-* headers (direct HTTP, onion inner request). */
  async handle(req: SogsRequest, via: Via): Promise<SogsResponse> {
    return this.run(req, via, async () => this.auth.authenticate(req));
  }

  /** A subrequest acting as the user who signed the enclosing /batch or /sequence. */
  async handleAs(req: SogsRequest, user: User | null): Promise<SogsResponse> {
    return this.run(req, 'batch', async () => user);
  }

  private async run(req: SogsRequest, via: Via, resolveUser: () => Promise<User | null>): Promise<SogsResponse> {
    const matched = this.router.match(req.method, req.path);
    const routeName = 'route' in matched ? (matched.route.name ?? matched.route.pattern) : 'unmatched';
    const stop = this.metrics.startRequest(routeName, req.method, via);
    let res: SogsResponse;
    try {
      const user = await resolveUser();
      if (!('route' in matched)) {
        throw matched.methodMismatch ? new HttpError(405, 'Method not allowed') : new HttpError(404, 'Not found');
      }
      const { route, params } = matched;
      if (route.auth === 'user' || route.auth === 'blinded') {
        if (!user) throw unauthorized('X-SOGS-* request authentication required');
        if (route.auth === 'blinded' && !/^(15|25)/.test(user.sessionId)) {
          throw unauthorized('This endpoint requires blinded pubkeys be used');
        }
      }
      res = await route.handler({
        req,
        params,
        query: new URLSearchParams(req.query),
        user,
        dispatch: (sub) => this.handleAs(sub, user),
      });
    } catch (err) {
      if (err instanceof HttpError) {
        res = err.toResponse();
        if (err.status === 403 || err.status === 429 || err.status === 406 || err.status === 413) {
          this.metrics.rejections.inc({ reason: `http_${err.status}` });
        }
      } else {
        // Never log request contents; the route and the error say enough.
        this.logger.error({ route: routeName, err }, 'request failed');
        res = textResponse('Internal server error', 500);
      }
    }
    stop(res.status);
    return res;
  }
}
