// What a node does with a storage RPC addressed to it, however it arrived: POST /storage_rpc/v1
// or the last layer of an onion path. A storage node answers from its storage; a relay answers
// the methods that need no swarm and sends an account's request on to its swarm (421).
import { encodeSnodeOnionReply } from '@starling/crypto';
import { bytesReply, jsonReply, stringifyJson, textReply, TEXT_TYPE, type Reply } from '@starling/platform';
import type { HopReply } from '../onion/hop-reply';
import type { DeliveredRequest, OnionDestination } from '../onion/onion-hop';

export type RpcVia = 'http' | 'onion';

/** An answer: a JSON value (it may hold RawJson) or a plain-text message. */
export interface RpcAnswer {
  status: number;
  body: object | string;
}

export interface NodeRpc {
  /** One request body, `{"method": M, "params": {...}}`, as it arrived. */
  handleBody(text: string, via: RpcVia): Promise<RpcAnswer>;
}

/** An answer over HTTP: JSON with exactly `application/json` (clients compare it), text otherwise. */
export function rpcReply(answer: RpcAnswer): Reply {
  return typeof answer.body === 'string' ? textReply(answer.status, answer.body) : jsonReply(answer.status, answer.body);
}

/** Answers the last layer of a path that ends at this node, sealed with the layer's key (storage-onion 3.5). */
export class RpcDestination implements OnionDestination {
  constructor(private readonly rpc: NodeRpc) {}

  async deliver(request: DeliveredRequest): Promise<HopReply> {
    const answer = await this.rpc.handleBody(Buffer.from(request.request).toString('utf8'), 'onion');
    const text = typeof answer.body === 'string' ? answer.body : stringifyJson(answer.body);
    // The json form embeds a JSON answer as an object; otherwise the body is its text.
    const body = request.json && typeof answer.body !== 'string' ? (JSON.parse(text) as object) : text;
    return { ...sealedReply(request.replyKey, answer.status, body, request), outcome: 'delivered' };
  }
}

/** The HTTP 200 that carries an encrypted answer, as every exit sends it. */
export function sealedReply(replyKey: DeliveredRequest['replyKey'], status: number, body: object | string, form: { json: boolean; base64: boolean } = { json: false, base64: true }): Reply {
  return bytesReply(200, TEXT_TYPE, encodeSnodeOnionReply(replyKey, { status, body }, form));
}
