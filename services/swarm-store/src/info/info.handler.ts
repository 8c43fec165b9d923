// info: the node's version and clock (clients correct their clock offset from it).
import { STORAGE_SERVER_VERSION } from '@starling/service-node';
import type { LocalMethod, RpcContext, RpcResult } from '../rpc/method';

export class InfoHandler implements LocalMethod {
  readonly kind = 'local';
  readonly name = 'info';

  async handle(_params: unknown, ctx: RpcContext): Promise<RpcResult> {
    return { status: 200, body: { version: [...STORAGE_SERVER_VERSION], timestamp: ctx.nowMs } };
  }
}
