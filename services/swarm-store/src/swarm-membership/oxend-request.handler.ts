// oxend_request: the node list (get_service_nodes) and name lookups (ons_resolve), answered from
// the network map this node follows, as every listed node answers them.
import { answerOxendRequest } from '@starling/membership';
import type { LocalMethod, RpcResult } from '../rpc/method';
import type { Params } from '../rpc/params';
import type { SwarmViews } from './swarm-views';

export class OxendRequestHandler implements LocalMethod {
  readonly kind = 'local';
  readonly name = 'oxend_request';

  constructor(private readonly views: SwarmViews) {}

  async handle(params: Params): Promise<RpcResult> {
    return answerOxendRequest({ endpoint: params.get('endpoint'), params: params.get('params') }, this.views.network) as RpcResult;
  }
}
