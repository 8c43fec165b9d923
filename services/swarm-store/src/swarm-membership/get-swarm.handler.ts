// get_swarm (alias get_snodes_for_pubkey): the members of the swarm an account belongs to.
import type { LocalMethod, NodeServices, RpcResult } from '../rpc/method';
import type { Params } from '../rpc/params';
import { swarmBodyFor } from './swarm-check';

export class GetSwarmHandler implements LocalMethod {
  readonly kind = 'local';

  constructor(
    private readonly node: NodeServices,
    readonly name: 'get_swarm' | 'get_snodes_for_pubkey' = 'get_swarm',
  ) {}

  async handle(params: Params): Promise<RpcResult> {
    const account = params.account(['pubKey']);
    return { status: 200, body: swarmBodyFor(this.node.swarm(), account) };
  }
}
