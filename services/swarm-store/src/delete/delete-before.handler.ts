// delete_before (storage-onion 1.6): messages with timestamp <= before. A `before` more than
// 60 s ahead is refused with 401 (not 406), as upstream does.
import { SubaccountFlag } from '@starling/crypto';
import { authenticate, readAuth } from '../rpc/auth';
import { SIGNATURE_TOLERANCE_MS } from '../rpc/limits';
import type { MemberResult, NodeServices, RecursiveMethod, RpcContext } from '../rpc/method';
import { namespaceSigText } from '../rpc/namespaces';
import type { Account, Params } from '../rpc/params';
import { RpcError } from '../rpc/rpc-error';
import type { NamespaceScope } from '../storage/message-store';
import { requireOwnSwarm } from '../swarm-membership/swarm-check';
import { reportByScope } from './deleted-hashes';

export interface PreparedDeleteBefore {
  account: Account;
  scope: NamespaceScope;
  beforeMs: number;
}

export class DeleteBeforeHandler implements RecursiveMethod<PreparedDeleteBefore> {
  readonly kind = 'recursive';
  readonly name = 'delete_before';

  constructor(private readonly node: NodeServices) {}

  async prepare(params: Params, ctx: RpcContext): Promise<PreparedDeleteBefore> {
    const account = params.account();
    const scope = params.namespace(true);
    const beforeMs = params.requiredTimestampMs('before');
    const auth = readAuth(params, account);
    requireOwnSwarm(this.node.swarm(), account, ctx);
    if (!auth.signature) throw new RpcError(401, 'delete_before: request signature required');
    if (beforeMs > ctx.nowMs + SIGNATURE_TOLERANCE_MS) throw new RpcError(401, 'delete_before: "before" is too far in the future');
    await authenticate(
      account,
      auth,
      { method: 'delete_before', signed: `delete_before${namespaceSigText(scope)}${beforeMs}`, nowMs: ctx.nowMs, flags: SubaccountFlag.delete },
      this.node.isRevoked,
    );
    return { account, scope, beforeMs };
  }

  async apply(p: PreparedDeleteBefore): Promise<MemberResult> {
    const { listed, signedHashes } = reportByScope(p.scope, await this.node.store.deleteBefore(p.account.id, p.scope, p.beforeMs));
    return { deleted: listed, signature: this.node.identity.signText(p.account.hex + p.beforeMs + signedHashes) };
  }
}
