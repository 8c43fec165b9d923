// The one way into the route table. Direct HTTP, each onion request's inner request, and every
// /batch or /sequence subrequest pass through here, so they route, authenticate and fail alike.
import type { Logger } from '@starling/platform';
import type { Authenticator } from '../auth/authenticator';
import type { OpenGroupsMetrics } from '../ops/metrics';
import type { CallerAndRoom, RoomWithAccess } from '../rooms/rooms.service';
import type { User } from '../users/user';
import { HttpError, unauthorized } from './errors';
import type { Router } from './router';
import { SogsRequest, SogsResponse, textResponse } from './types';

export type Via = 'http' | 'onion' | 'batch';

/** A signer's user row and one room with their access, in one read (RoomsService.findWithCallers). */
export type CallerRoomLookup = (sessionId: string, token: string) => Promise<CallerAndRoom>;

interface Caller {
  user: User | null;
  room?: RoomWithAccess | null;
}

export class Dispatcher {
  constructor(
    private readonly router: Router,
    private readonly auth: Authenticator,
    private readonly metrics: OpenGroupsMetrics,
    private readonly logger: Logger,
    private readonly callerRoom: CallerRoomLookup,
  ) {}

  /** A request carrying its own X-SOGS-* headers (direct HTTP, onion inner request). */
  async handle(req: SogsRequest, via: Via): Promise<SogsResponse> {
    return this.run(req, via, async (token) => {
      if (token === undefined) return { user: await this.auth.authenticate(req) };
      // A polling route: the signer's user row comes with the room, in one round trip.
      let room: RoomWithAccess | null | undefined;
      const user = await this.auth.authenticate(req, async (sessionId) => {
        const found = await this.callerRoom(sessionId, token);
        // A user created by this request may adopt pending roles: their access is read afresh.
        if (found.user) room = found.found;
        return found.user;
      });
      return { user, room };
    });
  }

  /** A subrequest acting as the user who signed the enclosing /batch or /sequence. */
  async handleAs(req: SogsRequest, user: User | null): Promise<SogsResponse> {
    return this.run(req, 'batch', async () => ({ user }));
  }

  /** `resolveCaller` gets the room token of a `readsRoom` route, to fetch with the user. */
  private async run(req: SogsRequest, via: Via, resolveCaller: (roomToken?: string) => Promise<Caller>): Promise<SogsResponse> {
    const matched = this.router.match(req.method, req.path);
    const routeName = 'route' in matched ? (matched.route.name ?? matched.route.pattern) : 'unmatched';
    const stop = this.metrics.startRequest(routeName, req.method, via);
    let res: SogsResponse;
    try {
      const { user, room } = await resolveCaller('route' in matched && matched.route.readsRoom ? matched.params.token : undefined);
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
        prefetchedRoom: room,
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
