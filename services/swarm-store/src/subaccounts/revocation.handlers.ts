// Subaccount revocation (storage-onion 1.3, 1.6): revoke_subaccount and unrevoke_subaccount
// change an account's revocation list on every member of its swarm; revoked_subaccounts reads it.
// Only the account key signs these (never a subaccount), over method ‖ timestamp (‖ raw tokens),
// the timestamp within ±60 s. Checks in upstream's order: fields (400), swarm (421), clock (406),
// signature (401). Each member's receipt signs ACCOUNT_HEX ‖ timestamp ‖ raw tokens.
import { authenticate, readOwnerAuth, type AuthFields } from '../rpc/auth';
import { SIGNATURE_TOLERANCE_MS } from '../rpc/limits';
import type { LocalMethod, MemberResult, NodeServices, RecursiveMethod, RpcContext, RpcResult } from '../rpc/method';
import type { Account, Params } from '../rpc/params';
import { invalidRequest } from '../rpc/rpc-error';
import { MAX_REVOKED_SUBACCOUNTS } from '../storage/revocation-store';
import { requireOwnSwarm } from '../swarm-membership/swarm-check';

/** The fields every revocation method has: the account, its signature and the signed timestamp. */
interface OwnerRequest {
  account: Account;
  auth: AuthFields;
  timestampMs: number;
}

function readOwnerRequest(params: Params): OwnerRequest {
  const account = params.account();
  const auth = readOwnerAuth(params, account);
  if (!auth.signature) throw invalidRequest('missing required field "signature"');
  return { account, auth, timestampMs: params.requiredTimestampMs('timestamp') };
}

/** 421, then 406, then 401: the request must be this swarm's and signed by the account key. */
async function requireOwner(node: NodeServices, method: string, req: OwnerRequest, signed: Uint8Array, ctx: RpcContext): Promise<void> {
  requireOwnSwarm(node.swarm(), req.account, ctx);
  await authenticate(
    req.account,
    req.auth,
    { method, signed, timestampMs: req.timestampMs, toleranceMs: SIGNATURE_TOLERANCE_MS, nowMs: ctx.nowMs, flags: 0, ownerOnly: true },
    node.isRevoked,
  );
}

export interface PreparedRevocation {
  account: Account;
  timestampMs: number;
  tokens: Buffer[];
}

type Change = 'revoke' | 'unrevoke';

/** revoke_subaccount (at most 50 tokens) and unrevoke_subaccount (no limit), by `change`. */
export class RevocationHandler implements RecursiveMethod<PreparedRevocation> {
  readonly kind = 'recursive';
  readonly name: `${Change}_subaccount`;

  constructor(
    private readonly node: NodeServices,
    private readonly change: Change,
  ) {
    this.name = `${change}_subaccount`;
  }

  async prepare(params: Params, ctx: RpcContext): Promise<PreparedRevocation> {
    const req = readOwnerRequest(params);
    const tokens = params.subaccountTokens(this.change, { max: this.change === 'revoke' ? MAX_REVOKED_SUBACCOUNTS : undefined });
    await requireOwner(this.node, this.name, req, Buffer.concat([Buffer.from(`${this.name}${req.timestampMs}`), ...tokens]), ctx);
    return { account: req.account, timestampMs: req.timestampMs, tokens };
  }

  async apply(p: PreparedRevocation, ctx: RpcContext): Promise<MemberResult> {
    const receipt = Buffer.from(this.node.identity.sign(Buffer.concat([Buffer.from(`${p.account.hex}${p.timestampMs}`), ...p.tokens]))).toString('base64');
    if (this.change === 'revoke') {
      // Ordered by when the entry node received it, so a replay from the retry queue keeps its place.
      await this.node.revocations.revoke(p.account.id, p.tokens, ctx.nowMs);
      return { signature: receipt };
    }
    return { count: await this.node.revocations.unrevoke(p.account.id, p.tokens), signature: receipt };
  }
}

/** revoked_subaccounts: the account's revoked tokens (base64), oldest first. */
export class RevokedSubaccountsHandler implements LocalMethod {
  readonly kind = 'local';
  readonly name = 'revoked_subaccounts';

  constructor(private readonly node: NodeServices) {}

  async handle(params: Params, ctx: RpcContext): Promise<RpcResult> {
    const req = readOwnerRequest(params);
    await requireOwner(this.node, this.name, req, Buffer.from(`${this.name}${req.timestampMs}`), ctx);
    const tokens = await this.node.revocations.list(req.account.id);
    return { status: 200, body: { revoked_subaccounts: tokens.map((t) => t.toString('base64')) } };
  }
}
