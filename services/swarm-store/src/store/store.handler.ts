// store (storage-onion 1.6): checks in the protocol's order — swarm (421), TTL (403), clock
// (406), then for non-public namespaces the signature (401/406/401). Applied through the group
// commit; the entry node acknowledges only once enough members hold the message durably.
import { messageHash } from '@starling/crypto';
import { SubaccountFlag } from '@starling/crypto';
import { authenticate, readAuth } from '../rpc/auth';
import { STORE_TOLERANCE_MS, SIGNATURE_TOLERANCE_MS } from '../rpc/limits';
import type { MemberResult, NodeServices, RecursiveMethod, RpcContext, RpcResult } from '../rpc/method';
import { isPublicInbox, isPublicOutbox, maxTtlMs, namespaceSigText, TTL_MIN_MS } from '../rpc/namespaces';
import type { Account, Params } from '../rpc/params';
import { CLOCK_ERROR, invalidRequest, RpcError } from '../rpc/rpc-error';
import { AccountQuotaError, StorageFullError } from '../storage/group-commit';
import { requireOwnSwarm } from '../swarm-membership/swarm-check';

export interface PreparedStore {
  account: Account;
  namespace: number;
  timestampMs: number;
  expiryMs: number;
  data: Buffer;
  hash: string;
}

/** Members (this one included) that must hold a store before it is acknowledged. */
export function storeQuorum(swarmSize: number): number {
  return Math.min(2, Math.max(1, swarmSize));
}

export class StoreHandler implements RecursiveMethod<PreparedStore> {
  readonly kind = 'recursive';
  readonly name = 'store';

  constructor(private readonly node: NodeServices) {}

  async prepare(params: Params, ctx: RpcContext): Promise<PreparedStore> {
    const account = params.account(['pubKey']);
    const namespace = params.namespace(false);
    const timestampMs = params.requiredTimestampMs('timestamp', { allowString: true });
    const ttl = params.integer('ttl', { allowString: true });
    const expiry = params.timestampMs('expiry');
    if (ttl !== undefined && expiry !== undefined) throw invalidRequest('give either "ttl" or "expiry", not both');
    if (ttl === undefined && expiry === undefined) throw invalidRequest('missing required field "ttl" (or "expiry")');
    const data = params.messageData();
    const auth = readAuth(params, account);
    const sigTimestampMs = params.timestampMs('sig_timestamp') ?? timestampMs;

    requireOwnSwarm(this.node.swarm(), account, ctx);
    const expiryMs = expiry ?? timestampMs + ttl!;
    const lifetime = expiryMs - timestampMs;
    if (lifetime < TTL_MIN_MS || lifetime > maxTtlMs(namespace)) throw new RpcError(403, 'Provided expiry/TTL is not valid.');
    if (timestampMs > ctx.nowMs + STORE_TOLERANCE_MS || expiryMs < ctx.nowMs - STORE_TOLERANCE_MS) throw new RpcError(406, CLOCK_ERROR);
    if (!isPublicInbox(namespace)) {
      await authenticate(
        account,
        auth,
        {
          method: 'store',
          signed: `store${namespaceSigText(namespace)}${sigTimestampMs}`,
          timestampMs: sigTimestampMs,
          toleranceMs: SIGNATURE_TOLERANCE_MS,
          nowMs: ctx.nowMs,
          flags: isPublicOutbox(namespace) ? SubaccountFlag.write | SubaccountFlag.delete : SubaccountFlag.write,
          missing: `store: signature required to store to namespace ${namespace}`,
        },
        this.node.isRevoked,
      );
    }
    return { account, namespace, timestampMs, expiryMs, data, hash: messageHash(account.id, namespace, data) };
  }

  async apply(p: PreparedStore, ctx: RpcContext): Promise<MemberResult> {
    let outcome;
    try {
      outcome = await this.node.writer.write({
        owner: p.account.id, namespace: p.namespace, hash: p.hash, timestampMs: p.timestampMs, expiryMs: p.expiryMs, data: p.data,
      });
    } catch (err) {
      this.node.metrics.stores.inc({ outcome: 'refused' });
      if (err instanceof AccountQuotaError) throw new RpcError(413, err.message);
      if (err instanceof StorageFullError) throw new RpcError(507, err.message);
      throw err;
    }
    this.node.metrics.stores.inc({ outcome: outcome.already ? 'duplicate' : 'new' });
    // A public outbox holds one message per owner: the new one replaces the others.
    if (isPublicOutbox(p.namespace)) await this.node.store.deleteOthersInNamespace(p.account.id, p.namespace, p.hash);
    const result: MemberResult = {
      hash: p.hash,
      signature: this.node.identity.signText(p.hash),
      expiry: outcome.expiryMs,
      t: ctx.nowMs,
    };
    if (outcome.already) result.already = true;
    return result;
  }

  finish(p: PreparedStore, swarm: Record<string, MemberResult>): RpcResult {
    const held = Object.values(swarm).filter((r) => r.failed !== true).length;
    const needed = storeQuorum(Object.keys(swarm).length);
    if (held >= needed) return { status: 200, body: { swarm, hash: p.hash } };
    // Say why this node could not take it when that is the reason (quota, node full).
    const own = swarm[this.node.identity.ed25519Hex];
    const code = typeof own?.code === 'number' && own.code !== 500 ? own.code : 500;
    const reason = typeof own?.reason === 'string' && code !== 500 ? own.reason : `store failed: ${held} of ${needed} required swarm members hold the message`;
    return { status: code, body: reason };
  }
}
