// delete (storage-onion 1.6): named messages of any namespace. The signature has no timestamp.
// Each member signs PUBKEY_HEX ‖ requested hashes ‖ deleted hashes (sorted).
import { SubaccountFlag } from '@starling/crypto';
import { authenticate, readAuth, type AuthFields } from '../rpc/auth';
import type { MemberResult, NodeServices, RecursiveMethod, RpcContext, RpcResult } from '../rpc/method';
import type { Account, Params } from '../rpc/params';
import { requireOwnSwarm } from '../swarm-membership/swarm-check';

export interface PreparedDelete {
  account: Account;
  hashes: string[];
  required: boolean;
}

export class DeleteHandler implements RecursiveMethod<PreparedDelete> {
  readonly kind = 'recursive';
  readonly name = 'delete';

  constructor(private readonly node: NodeServices) {}

  async prepare(params: Params, ctx: RpcContext): Promise<PreparedDelete> {
    const account = params.account();
    const hashes = params.hashes('messages');
    const required = params.boolean('required') ?? false;
    const auth: AuthFields = readAuth(params, account);
    requireOwnSwarm(this.node.swarm(), account, ctx);
    await authenticate(
      account,
      auth,
      { method: 'delete', signed: `delete${hashes.join('')}`, nowMs: ctx.nowMs, flags: SubaccountFlag.delete },
      this.node.isRevoked,
    );
    return { account, hashes, required };
  }

  async apply(p: PreparedDelete): Promise<MemberResult> {
    const deleted = await this.node.store.deleteByHashes(p.account.id, p.hashes);
    return { deleted, signature: this.node.identity.signText(p.account.hex + p.hashes.join('') + deleted.join('')) };
  }

  finish(p: PreparedDelete, swarm: Record<string, MemberResult>): RpcResult | undefined {
    if (!p.required) return undefined;
    const any = Object.values(swarm).some((r) => Array.isArray(r.deleted) && r.deleted.length > 0);
    return any ? undefined : { status: 404, body: 'no messages deleted' };
  }
}
