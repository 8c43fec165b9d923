// The one way into the route table. Direct HTTP (the edge resolves through it), each onion
// request's inner request and every /batch or /sequence subrequest pass through here, so they
// route, authenticate and fail alike; domain errors become status codes here and nowhere else.
import { Inject, Injectable } from '@nestjs/common';
import { DATABASE, LOGGER, textReply, type Database, type EdgeRequest, type Logger, type Reply, type ResolvedRoute, type RouteTable } from '@starling/platform';
import { Authenticator } from '../auth/authenticator';
import { Coalescer } from '../coalescer';
import { BadInput, DomainError, NotAuthenticated } from '../domain/errors';
import { COUNTED_REFUSALS, OpenGroupsMetrics, type Via } from '../ops/metrics';
import { RoomsModel, type CallerAndRoom, type CallerRoomKey, type RoomWithAccess } from '../rooms/rooms.model';
import type { User } from '../users/user';
import { errorReply } from './errors';
import { nestingRefusal, routeLabel, Router, type RouteMatch } from './router';
import { decodePath, SOGS_METHODS, sogsRequest, type SogsRequest } from './types';

/** A known path asked with a method it does not serve: 405 and the methods it does. */
function methodNotAllowed(allow: readonly string[]): Reply {
  return textReply(405, 'Method not allowed', { allow: allow.join(', ') });
}

interface Caller {
  user: User | null;
  room?: RoomWithAccess | null;
}

const BLINDED_ID = /^(15|25)/;
/** The request authenticates itself with its X-SOGS-* headers. */
const SIGNED = Symbol('signed');

@Injectable()
export class Dispatcher implements RouteTable {
  /** A signer's user row and one room with their access, in one read shared by concurrent polls. */
  private readonly callerRooms: Coalescer<CallerRoomKey, CallerAndRoom>;

  constructor(
    private readonly router: Router,
    private readonly auth: Authenticator,
    private readonly metrics: OpenGroupsMetrics,
    @Inject(LOGGER) private readonly logger: Logger,
    rooms: RoomsModel,
    @Inject(DATABASE) db: Database,
  ) {
    this.callerRooms = new Coalescer((pairs: CallerRoomKey[]) => rooms.findWithCallers(db, pairs));
  }

  /**
   * The edge's view of the route table: every SOGS method is answered here (an unknown path too:
   * its 404 comes after authentication, as upstream's). Another method gets 405 on a known path
   * and the edge's plain 404 elsewhere.
   */
  resolve(method: string, rawPath: string): ResolvedRoute | undefined {
    const path = decodePath(rawPath);
    const matched = this.router.match(method, path);
    if (!SOGS_METHODS.has(method)) {
      if (!('allow' in matched) || matched.allow.length === 0) return undefined;
      return { route: routeLabel(matched), maxBodyBytes: 0, handle: async () => methodNotAllowed(matched.allow) };
    }
    return { route: routeLabel(matched), handle: (req) => this.run(sogsRequest(req, path), matched, 'http', SIGNED) };
  }

  /** A request carrying its own X-SOGS-* headers that did not come through the edge (an onion inner request). */
  handle(req: EdgeRequest, via: Via): Promise<Reply> {
    const sogs = sogsRequest(req);
    return this.run(sogs, this.router.match(sogs.method, sogs.path), via, SIGNED);
  }

  /** A subrequest acting as the user who signed the enclosing /batch or /sequence. */
  handleAs(req: EdgeRequest, user: User | null): Promise<Reply> {
    const sogs = sogsRequest(req);
    return this.run(sogs, this.router.match(sogs.method, sogs.path), 'batch', { user });
  }

  /**
   * Authenticates the request's own signature. On a `readsRoom` route (`token` given) the
   * signer's user row comes with the room and their access, in one round trip.
   */
  private async signer(req: SogsRequest, token: string | undefined): Promise<Caller> {
    if (token === undefined) return { user: await this.auth.authenticate(req) };
    let room: RoomWithAccess | null | undefined;
    const user = await this.auth.authenticate(req, async (sessionId) => {
      const found = await this.callerRooms.get({ sessionId, token });
      // A user created by this request may adopt pending roles: their access is read afresh.
      if (found.user) room = found.found;
      return found.user;
    });
    return { user, room };
  }

  /** `caller`: SIGNED to authenticate the request's own headers, or the user it acts as. */
  private async run(req: SogsRequest, matched: RouteMatch, via: Via, caller: typeof SIGNED | { user: User | null }): Promise<Reply> {
    const stop = this.metrics.startRequest(routeLabel(matched), req.method, via);
    let res: Reply;
    try {
      const roomToken = 'route' in matched && matched.route.readsRoom ? matched.params.token : undefined;
      const { user, room }: Caller = caller === SIGNED ? await this.signer(req, roomToken) : caller;
      if (!('route' in matched)) {
        res = matched.allow.length ? methodNotAllowed(matched.allow) : textReply(404, 'Not found');
      } else {
        const { route, params } = matched;
        const refusal = nestingRefusal(via, route);
        if (refusal) throw new BadInput(refusal);
        if (route.auth === 'user' || route.auth === 'blinded') {
          if (!user) throw new NotAuthenticated('X-SOGS-* request authentication required');
          if (route.auth === 'blinded' && !BLINDED_ID.test(user.sessionId)) throw new NotAuthenticated('This endpoint requires blinded pubkeys be used');
        }
        res = await route.handler({
          req,
          params,
          query: new URLSearchParams(req.query),
          user,
          prefetchedRoom: room,
          dispatch: (sub) => this.handleAs(sub, user),
        });
      }
    } catch (err) {
      if (err instanceof DomainError) {
        res = errorReply(err);
        if (COUNTED_REFUSALS.has(res.status)) this.metrics.rejections.inc({ reason: `http_${res.status}` });
      } else {
        // Never log request contents; the route and the error say enough.
        this.logger.error({ route: routeLabel(matched), err }, 'request failed');
        res = textReply(500, 'Internal server error');
      }
    }
    stop(res.status);
    return res;
  }
}
