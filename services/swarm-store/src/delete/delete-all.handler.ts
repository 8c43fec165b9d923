// delete_all (storage-onion 1.6): every message of one namespace or "all"; signed with a
// timestamp that must be within ±60 s (±70 s for a copy forwarded by a swarm peer).
import { SubaccountFlag } from '@starling/crypto';
import { authenticate, readAuth } from '../rpc/auth';
import { SIGNATURE_TOLERANCE_FORWARDED_MS, SIGNATURE_TOLERANCE_MS } from '../rpc/limits';
import type { MemberResult, NodeServices, RecursiveMethod, RpcContext } from '../rpc/method';
import { namespaceSigText } from '../rpc/namespaces';
import type { Account, Params } from '../rpc/params';
import type { NamespaceScope } from '../storage/message-store';
import { requireOwnSwarm } from '../swarm-membership/swarm-check';
import { reportByScope } from './deleted-hashes';

export interface PreparedDeleteAll {
  account: Account;
  scope: NamespaceScope;
  timestampMs: number;
}

export class DeleteAllHandler implements RecursiveMethod<PreparedDeleteAll> {
  readonly kind = 'recursive';
  readonly name = 'delete_all';

  constructor(private readonly node: NodeServices) {}

  async prepare(params: Params, ctx: RpcContext): Promise<PreparedDeleteAll> {
    const account = params.account();
    const scope = params.namespace(true);
    const timestampMs = params.requiredTimestampMs('timestamp');
    const auth = readAuth(params, account);
    requireOwnSwarm(this.node.swarm(), account, ctx);
    await authenticate(
      account,
      auth,
      {
        method: 'delete_all',
        signed: `delete_all${namespaceSigText(scope)}${timestampMs}`,
        timestampMs,
        toleranceMs: ctx.forwarded ? SIGNATURE_TOLERANCE_FORWARDED_MS : SIGNATURE_TOLERANCE_MS,
        nowMs: ctx.nowMs,
        flags: SubaccountFlag.delete,
      },
      this.node.isRevoked,
    );
    return { account, scope, timestampMs };
  }

  async apply(p: PreparedDeleteAll): Promise<MemberResult> {
    const { listed, signedHashes } = reportByScope(p.scope, await this.node.store.deleteAll(p.account.id, p.scope));
    return { deleted: listed, signature: this.node.identity.signText(p.account.hex + p.timestampMs + signedHashes) };
  }
}
