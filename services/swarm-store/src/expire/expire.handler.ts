// expire (storage-onion 1.6): new expiries for named messages, one value or one per message;
// `shorten` only lowers, `extend` only raises. Values beyond now+30 d are clamped.
import { SubaccountFlag } from '@starling/crypto';
import { authenticate, readAuth } from '../rpc/auth';
import { SIGNATURE_TOLERANCE_MS } from '../rpc/limits';
import type { MemberResult, NodeServices, RecursiveMethod, RpcContext } from '../rpc/method';
import { TTL_MAX_PRIVATE_MS } from '../rpc/namespaces';
import type { Account, Params } from '../rpc/params';
import { invalidRequest, RpcError } from '../rpc/rpc-error';
import { requireOwnSwarm } from '../swarm-membership/swarm-check';

export interface PreparedExpire {
  account: Account;
  hashes: string[];
  /** Requested expiry per hash, already clamped. */
  expiries: Map<string, number>;
  /** One value for all (single mode) or undefined (one per message). */
  single?: number;
  mode?: 'shorten' | 'extend';
  /** `unchanged` is answered and signed only when the client asked for shorten or extend. */
  reportUnchanged: boolean;
}

export class ExpireHandler implements RecursiveMethod<PreparedExpire> {
  readonly kind = 'recursive';
  readonly name = 'expire';

  constructor(private readonly node: NodeServices) {}

  async prepare(params: Params, ctx: RpcContext): Promise<PreparedExpire> {
    const account = params.account();
    const hashes = params.hashes('messages');
    const raw = this.requestedExpiries(params, hashes.length);
    const shorten = params.boolean('shorten') ?? false;
    const extend = params.boolean('extend') ?? false;
    if (shorten && extend) throw invalidRequest('"shorten" and "extend" cannot both be set');
    const auth = readAuth(params, account);
    const explicitMode = shorten ? 'shorten' : extend ? 'extend' : '';

    requireOwnSwarm(this.node.swarm(), account, ctx);
    if (!auth.signature) throw new RpcError(401, 'expire: request signature required');
    if (raw.some((e) => e < ctx.nowMs - SIGNATURE_TOLERANCE_MS)) throw new RpcError(401, 'expire: the requested expiry is in the past');
    await authenticate(
      account,
      auth,
      { method: 'expire', signed: `expire${explicitMode}${raw.join('')}${hashes.join('')}`, nowMs: ctx.nowMs, flags: SubaccountFlag.write },
      this.node.isRevoked,
    );
    // After the signature, as upstream: a token without Delete may only extend.
    const deleteAllowed = !auth.subaccount || (auth.subaccount[1]! & SubaccountFlag.delete) !== 0;
    if (!deleteAllowed && shorten) throw invalidRequest('a subaccount without delete permission cannot shorten expiries');
    const mode = shorten ? 'shorten' : extend || !deleteAllowed ? 'extend' : undefined;
    const ceiling = ctx.nowMs + TTL_MAX_PRIVATE_MS;
    const clamped = raw.map((e) => Math.min(e, ceiling));
    const expiries = new Map(hashes.map((h, i) => [h, clamped.length === 1 ? clamped[0]! : clamped[i]!]));
    return { account, hashes, expiries, single: clamped.length === 1 ? clamped[0] : undefined, mode, reportUnchanged: explicitMode !== '' };
  }

  async apply(p: PreparedExpire, ctx: RpcContext): Promise<MemberResult> {
    const { updated, unchanged } = await this.node.store.expire(p.account.id, p.expiries, p.mode, ctx.nowMs);
    const updatedSorted = [...updated.keys()].sort();
    const unchangedSorted = p.reportUnchanged ? [...unchanged.keys()].sort() : [];
    const expiry = p.single ?? updatedSorted.map((h) => updated.get(h)!);
    const expiryText = Array.isArray(expiry) ? expiry.join('') : String(expiry);
    const signed = p.account.hex + expiryText + p.hashes.join('') + updatedSorted.join('') + unchangedSorted.map((h) => h + unchanged.get(h)).join('');
    const result: MemberResult = { updated: updatedSorted, expiry, signature: this.node.identity.signText(signed) };
    if (p.reportUnchanged) result.unchanged = Object.fromEntries(unchangedSorted.map((h) => [h, unchanged.get(h)!]));
    return result;
  }

  private requestedExpiries(params: Params, count: number): number[] {
    const v = params.get('expiry');
    if (Array.isArray(v)) {
      if (v.length !== count) throw invalidRequest('"expiry" must be one value or one per message');
      return v.map((e) => {
        if (typeof e !== 'number' || !Number.isSafeInteger(e) || e < 1_000_000_000) throw invalidRequest('"expiry" values must be integer milliseconds');
        return e;
      });
    }
    return [params.requiredTimestampMs('expiry')];
  }
}
