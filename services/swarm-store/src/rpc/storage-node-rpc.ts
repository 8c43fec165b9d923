// A storage node's answer to a storage RPC addressed to it, whether it came to POST
// /storage_rpc/v1 or as the last layer of an onion path: its StorageRpc. Onion requests that are
// not a JSON object get upstream's "Invalid json".
import { Injectable } from '@nestjs/common';
import type { NodeRpc, RpcAnswer, RpcVia } from '@starling/service-node';
import { StorageRpc } from '../rpc/storage-rpc';

@Injectable()
export class StorageNodeRpc implements NodeRpc {
  constructor(private readonly rpc: StorageRpc) {}

  handleBody(text: string, via: RpcVia): Promise<RpcAnswer> {
    return this.rpc.handleBody(text, via, via === 'onion' ? 'Invalid json' : undefined);
  }
}
