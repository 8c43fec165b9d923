// expire_all (storage-onion 1.6): lowers every later expiry of one namespace (or "all") to the
// given value; it never extends. expiry < now-60 s (70 s forwarded) is a clock error (406).
import { SubaccountFlag } from '@starling/crypto';
import { authenticate, readAuth } from '../rpc/auth';
import { SIGNATURE_TOLERANCE_FORWARDED_MS, SIGNATURE_TOLERANCE_MS } from '../rpc/limits';
import type { MemberResult, NodeServices, RecursiveMethod, RpcContext } from '../rpc/method';
import { namespaceSigText } from '../rpc/namespaces';
import type { Account, Params } from '../rpc/params';
import { CLOCK_ERROR, RpcError } from '../rpc/rpc-error';
import type { NamespaceScope } from '../storage/message-store';
import { requireOwnSwarm } from '../swarm-membership/swarm-check';
import { reportByScope } from '../delete/deleted-hashes';

export interface PreparedExpireAll {
  account: Account;
  scope: NamespaceScope;
  expiryMs: number;
}

export class ExpireAllHandler implements RecursiveMethod<PreparedExpireAll> {
  readonly kind = 'recursive';
  readonly name = 'expire_all';

  constructor(private readonly node: NodeServices) {}

  async prepare(params: Params, ctx: RpcContext): Promise<PreparedExpireAll> {
    const account = params.account();
    const scope = params.namespace(true);
    const expiryMs = params.requiredTimestampMs('expiry');
    const auth = readAuth(params, account);
    requireOwnSwarm(this.node.swarm(), account, ctx);
    if (!auth.signature) throw new RpcError(401, 'expire_all: request signature required');
    const tolerance = ctx.forwarded ? SIGNATURE_TOLERANCE_FORWARDED_MS : SIGNATURE_TOLERANCE_MS;
    if (expiryMs < ctx.nowMs - tolerance) throw new RpcError(406, CLOCK_ERROR);
    await authenticate(
      account,
      auth,
      { method: 'expire_all', signed: `expire_all${namespaceSigText(scope)}${expiryMs}`, nowMs: ctx.nowMs, flags: SubaccountFlag.delete },
      this.node.isRevoked,
    );
    return { account, scope, expiryMs };
  }

  async apply(p: PreparedExpireAll): Promise<MemberResult> {
    const { listed, signedHashes } = reportByScope(p.scope, await this.node.store.expireAll(p.account.id, p.scope, p.expiryMs));
    return { updated: listed, signature: this.node.identity.signText(p.account.hex + p.expiryMs + signedHashes) };
  }
}
