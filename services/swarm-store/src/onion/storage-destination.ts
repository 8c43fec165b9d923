// The last layer of an onion path addressed to this storage node (storage-onion 3.5): the storage
// RPC inside runs exactly as /storage_rpc/v1 would, and the answer is sealed with the layer's key.
import { Injectable } from '@nestjs/common';
import { encodeSnodeOnionReply } from '@starling/crypto';
import { bytesReply, TEXT_TYPE } from '@starling/platform';
import type { DeliveredRequest, HopReply, OnionDestination } from '@starling/service-node';
import { rpcBodyText, StorageRpc } from '../rpc/storage-rpc';

@Injectable()
export class StorageDestination implements OnionDestination {
  constructor(private readonly rpc: StorageRpc) {}

  async deliver(request: DeliveredRequest): Promise<HopReply> {
    const result = await this.rpc.handleBody(Buffer.from(request.request).toString('utf8'), 'onion', 'Invalid json');
    const text = rpcBodyText(result);
    // The json form embeds a JSON answer as an object; otherwise the body is its text.
    const body = request.json && typeof result.body !== 'string' ? (JSON.parse(text) as object) : text;
    const sealed = encodeSnodeOnionReply(request.replyKey, { status: result.status, body }, { json: request.json, base64: request.base64 });
    return { ...bytesReply(200, TEXT_TYPE, sealed), outcome: 'delivered' };
  }
}
