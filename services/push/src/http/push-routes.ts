// The push server's public routes: POST /subscribe and POST /unsubscribe, answered as JSON with
// exactly `application/json` (Session clients compare it). One table serves direct HTTP (mounted
// on the edge) and the inner requests of onion v4 (dispatch), so both reach the same handler.
import { ExactRoutes, jsonReply, textReply, type EdgeRequest, type ExactRoute, type Reply, type ResolvedRoute, type RouteTable } from '@starling/platform';
import { MAX_REQUEST_BYTES, type PushApi } from '../subscriptions/push-api';

/**
 * The edge lets a little more than the API accepts through, so that an oversized body gets
 * upstream's JSON answer (error 1) from the API, as it does inside an onion request.
 */
const ROUTE_BODY_CAP = MAX_REQUEST_BYTES + 1024;

export class PushRoutes implements RouteTable {
  private readonly table = new ExactRoutes();

  constructor(api: PushApi) {
    const route = (path: string, call: (body: Uint8Array) => Promise<unknown>): ExactRoute => ({
      method: 'POST',
      path,
      maxBodyBytes: ROUTE_BODY_CAP,
      handle: async (req) => jsonReply(200, await call(req.body)),
    });
    this.table.add(
      route('/subscribe', (body) => api.subscribe(body)),
      route('/unsubscribe', (body) => api.unsubscribe(body)),
    );
  }

  resolve(method: string, path: string): ResolvedRoute | undefined {
    return this.table.resolve(method, path);
  }

  /** One request through the table, as the edge would serve it (onion inner requests). */
  async dispatch(req: EdgeRequest): Promise<Reply> {
    const route = this.resolve(req.method, req.path);
    return route ? route.handle(req) : textReply(404, 'Not Found');
  }
}
