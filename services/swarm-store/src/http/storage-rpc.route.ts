// POST /storage_rpc/v1 on a storage node: the request body is one storage RPC.
import { Injectable } from '@nestjs/common';
import type { EdgeRequest, Reply } from '@starling/platform';
import type { StorageRpcHandler } from '@starling/service-node';
import { rpcReply, StorageRpc } from '../rpc/storage-rpc';

@Injectable()
export class StorageRpcRoute implements StorageRpcHandler {
  constructor(private readonly rpc: StorageRpc) {}

  async handleStorageRpc(req: EdgeRequest): Promise<Reply> {
    return rpcReply(await this.rpc.handleBody(req.body.toString('utf8'), 'http'));
  }
}
