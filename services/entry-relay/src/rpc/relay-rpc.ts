// What a relay answers when a storage RPC is addressed to it (directly, as guards are tested, or
// as the last layer of an onion path): the methods that need no swarm — info, get_swarm,
// oxend_request — from the signed network map. A relay holds no messages, so an account's request
// gets what upstream answers from a node outside the account's swarm: 421 with the right swarm.
import { Inject, Injectable } from '@nestjs/common';
import { fromHex, toHex } from '@starling/crypto';
import { answerOxendRequest, networkOf, swarmAnswer, SwarmView } from '@starling/membership';
import { parseJson } from '@starling/platform';
import { HARDFORK, NODE_KEYS, NodeMembership, STORAGE_SERVER_VERSION, type NodeKeys, type NodeRpc, type RpcAnswer, type RpcVia } from '@starling/service-node';

/** Account requests carry the account id as 66 hex digits: a prefix byte and a 32-byte key. */
const ACCOUNT_ID = /^[0-9a-fA-F]{66}$/;
const BATCH_MAX = 20;

@Injectable()
export class RelayRpc implements NodeRpc {
  private readonly self: string;
  private view: SwarmView | undefined;

  constructor(
    private readonly membership: NodeMembership,
    @Inject(NODE_KEYS) keys: NodeKeys,
  ) {
    this.self = toHex(keys.ed25519.publicKey);
  }

  async handleBody(text: string, via: RpcVia): Promise<RpcAnswer> {
    const parsed = parseJson(text);
    const request = parsed.ok ? parsed.value : undefined;
    if (typeof request !== 'object' || request === null || Array.isArray(request)) {
      return { status: 400, body: via === 'onion' ? 'Invalid json' : parsed.ok ? 'invalid request: expected a JSON object with "method"' : parsed.error };
    }
    const { method, params } = request as { method?: unknown; params?: unknown };
    return this.call(method, params ?? {}, true);
  }

  private call(method: unknown, params: unknown, allowBatch: boolean): RpcAnswer {
    if (typeof method !== 'string') return { status: 400, body: 'invalid request: "method" must be a string' };
    if (typeof params !== 'object' || params === null || Array.isArray(params)) return { status: 400, body: 'invalid request: params must be a JSON object' };
    const p = params as Record<string, unknown>;
    switch (method) {
      case 'info':
        return this.json({ version: STORAGE_SERVER_VERSION, timestamp: Date.now() });
      case 'oxend_request': {
        const map = this.membership.map;
        const answer = answerOxendRequest(p, map && networkOf(map));
        return answer.status === 200 ? this.json(answer.body) : answer;
      }
      case 'batch':
      case 'sequence':
        return allowBatch ? this.batch(method, p) : { status: 400, body: `invalid request: ${method} cannot be nested` };
    }
    const account = p.pubkey ?? p.pubKey;
    if (method === 'get_swarm' || method === 'get_snodes_for_pubkey' || account !== undefined) {
      if (typeof account !== 'string' || !ACCOUNT_ID.test(account)) return { status: 400, body: 'invalid request: pubkey must be 66 hex digits' };
      const swarm = swarmAnswer(this.swarmView(), fromHex(account, 33));
      // Only a storage node of the account's swarm holds its messages.
      return method === 'get_swarm' || method === 'get_snodes_for_pubkey' ? this.json(swarm) : { status: 421, body: { ...swarm, t: Date.now(), hf: HARDFORK } };
    }
    return { status: 400, body: `no method ${method.slice(0, 64)}` };
  }

  private batch(kind: 'batch' | 'sequence', params: Record<string, unknown>): RpcAnswer {
    const requests = params.requests;
    if (!Array.isArray(requests) || requests.length === 0 || requests.length > BATCH_MAX) {
      return { status: 400, body: `invalid request: "requests" must be a list of 1 to ${BATCH_MAX} subrequests` };
    }
    const results: { code: number; body: unknown }[] = [];
    for (const r of requests) {
      const sub = typeof r === 'object' && r !== null ? (r as { method?: unknown; params?: unknown }) : {};
      const answer = this.call(sub.method, sub.params ?? {}, false);
      results.push({ code: answer.status, body: answer.body });
      if (kind === 'sequence' && (answer.status < 200 || answer.status >= 300)) break;
    }
    return this.json({ results });
  }

  private json(body: object): RpcAnswer {
    const now = Date.now();
    return { status: 200, body: { ...body, t: now, hf: HARDFORK } };
  }

  /** The swarms of the newest map (a relay is in none of them). */
  private swarmView(): SwarmView {
    const map = this.membership.map;
    const version = BigInt(map?.version ?? 0);
    if (!this.view || this.view.version !== version) this.view = SwarmView.fromNodeInfos(this.self, map?.nodes ?? [], version);
    return this.view;
  }
}
