// retrieve (storage-onion 1.6): paging by last_hash (node-local; an unknown hash restarts from the
// oldest message), max_count, max_size (a negative value -k means RETRIEVE_MAX_SIZE / k).
import { RawJson } from '@starling/platform';
import { SubaccountFlag } from '@starling/crypto';
import { authenticate, readAuth } from '../rpc/auth';
import { RETRIEVE_MAX_SIZE, SIGNATURE_TOLERANCE_MS } from '../rpc/limits';
import type { LocalMethod, NodeServices, RpcContext, RpcResult } from '../rpc/method';
import { isUnrevocable, namespaceSigText, retrieveNeedsAuth } from '../rpc/namespaces';
import type { Params } from '../rpc/params';
import { invalidRequest } from '../rpc/rpc-error';
import type { RetrievedMessage } from '../storage/message-store';
import { requireOwnSwarm } from '../swarm-membership/swarm-check';

const HASH = /^[A-Za-z0-9+/]{43}$/;

/** The byte budget of one retrieve from max_count/max_size as upstream reads them. */
export function retrieveBudget(maxCount: number | undefined, maxSize: number | undefined): { maxCount?: number; maxSize: number } {
  const count = maxCount === 0 ? undefined : maxCount;
  let size = maxSize === 0 ? undefined : maxSize;
  if (count === undefined && size === undefined) size = -5;
  let bytes = RETRIEVE_MAX_SIZE;
  if (size !== undefined) bytes = size < 0 ? Math.floor(RETRIEVE_MAX_SIZE / -size) : Math.min(size, RETRIEVE_MAX_SIZE);
  return { maxCount: count, maxSize: bytes };
}

export class RetrieveHandler implements LocalMethod {
  readonly kind = 'local';
  readonly name = 'retrieve';

  constructor(private readonly node: NodeServices) {}

  async handle(params: Params, ctx: RpcContext): Promise<RpcResult> {
    const account = params.account(['pubKey']);
    const namespace = params.namespace(false);
    const lastHash = this.lastHash(params);
    const maxCount = params.integer('max_count', { min: 0 });
    const maxSize = params.integer('max_size');
    const timestampMs = params.timestampMs('timestamp');
    const auth = readAuth(params, account);

    requireOwnSwarm(this.node.swarm(), account, ctx);
    if (retrieveNeedsAuth(namespace)) {
      if (timestampMs === undefined && auth.signature) throw invalidRequest('missing required field "timestamp"');
      await authenticate(
        account,
        auth,
        {
          method: 'retrieve',
          signed: `retrieve${namespaceSigText(namespace)}${timestampMs}`,
          timestampMs,
          toleranceMs: SIGNATURE_TOLERANCE_MS,
          nowMs: ctx.nowMs,
          flags: SubaccountFlag.read,
          revokedMayUse: isUnrevocable(namespace),
        },
        this.node.isRevoked,
      );
    }
    const budget = retrieveBudget(maxCount, maxSize);
    const page = await this.node.store.retrieve(account.id, namespace, lastHash, budget.maxCount, budget.maxSize, ctx.nowMs);
    this.node.metrics.retrieves.inc();
    this.node.metrics.retrievedMessages.inc(page.messages.length);
    return {
      status: 200,
      body: { messages: messagesJson(page.messages), more: page.more },
    };
  }

  private lastHash(params: Params): string | undefined {
    const name = params.has('last_hash') ? 'last_hash' : 'lastHash';
    const v = params.get(name);
    if (v === undefined || v === '') return undefined;
    if (typeof v !== 'string' || !HASH.test(v)) throw invalidRequest('Invalid last_hash: expected base64 (43 chars)');
    return v;
  }
}

/** The `messages` array, written out: base64 and numbers need no escaping, the hash is escaped anyway. */
function messagesJson(messages: readonly RetrievedMessage[]): RawJson {
  let text = '';
  for (const m of messages) {
    if (text) text += ',';
    text += `{"hash":${JSON.stringify(m.hash)},"timestamp":${m.timestampMs},"expiration":${m.expiryMs},"data":"${m.dataBase64}"}`;
  }
  return new RawJson(`[${text}]`);
}
