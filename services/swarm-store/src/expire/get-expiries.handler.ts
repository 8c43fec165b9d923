// get_expiries (storage-onion 1.6): the current expiry of named messages (Read permission).
import { SubaccountFlag } from '@starling/crypto';
import { authenticate, readAuth } from '../rpc/auth';
import { SIGNATURE_TOLERANCE_MS } from '../rpc/limits';
import type { LocalMethod, NodeServices, RpcContext, RpcResult } from '../rpc/method';
import type { Params } from '../rpc/params';
import { requireOwnSwarm } from '../swarm-membership/swarm-check';

export class GetExpiriesHandler implements LocalMethod {
  readonly kind = 'local';
  readonly name = 'get_expiries';

  constructor(private readonly node: NodeServices) {}

  async handle(params: Params, ctx: RpcContext): Promise<RpcResult> {
    const account = params.account();
    const hashes = params.hashes('messages');
    const timestampMs = params.requiredTimestampMs('timestamp');
    const auth = readAuth(params, account);
    requireOwnSwarm(this.node.swarm(), account, ctx);
    await authenticate(
      account,
      auth,
      {
        method: 'get_expiries',
        signed: `get_expiries${timestampMs}${hashes.join('')}`,
        timestampMs,
        toleranceMs: SIGNATURE_TOLERANCE_MS,
        nowMs: ctx.nowMs,
        flags: SubaccountFlag.read,
      },
      this.node.isRevoked,
    );
    const expiries = await this.node.store.getExpiries(account.id, hashes, ctx.nowMs);
    return { status: 200, body: { expiries: Object.fromEntries(expiries) } };
  }
}
