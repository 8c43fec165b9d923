// The direct (non-onion) calls a client makes to a relay before it trusts it as a guard:
// `info`, and `get_swarm`, which the relay answers by asking a storage node of the current map.
import { randomInt } from 'crypto';
import { NetworkMembership } from '@starling/membership';
import { common, createGrpcClient, grpc, PromiseClient, swarmstore } from '@starling/proto';

export const STORAGE_SERVER_VERSION = [2, 8, 0];
export const HARDFORK = [19, 4];

export interface RpcReply {
  status: number;
  /** JSON text for 2xx, plain text otherwise. */
  body: string;
}

export class GuardRpc {
  private stores = new Map<string, PromiseClient<typeof swarmstore.SwarmStoreServiceService>>();

  constructor(
    private readonly membership: Pick<NetworkMembership, 'map'>,
    private readonly timeoutMs: number,
  ) {}

  async call(rawBody: Uint8Array): Promise<RpcReply> {
    let request: unknown;
    try {
      request = JSON.parse(Buffer.from(rawBody).toString('utf8'));
    } catch {
      return { status: 400, body: 'invalid request: body is not JSON' };
    }
    if (typeof request !== 'object' || request === null || Array.isArray(request)) {
      return { status: 400, body: 'invalid request: expected a JSON object with "method"' };
    }
    const { method, params } = request as { method?: unknown; params?: unknown };
    if (typeof method !== 'string') return { status: 400, body: 'invalid request: "method" must be a string' };
    const now = Date.now();
    switch (method) {
      case 'info':
        return { status: 200, body: JSON.stringify({ version: STORAGE_SERVER_VERSION, timestamp: now, t: now, hf: HARDFORK }) };
      case 'get_swarm':
      case 'get_snodes_for_pubkey':
        return this.askStorageNode(method, params ?? {});
      default:
        return { status: 400, body: `no method ${method}` };
    }
  }

  close(): void {
    for (const c of this.stores.values()) c.close();
    this.stores.clear();
  }

  private async askStorageNode(method: string, params: unknown): Promise<RpcReply> {
    const stores = (this.membership.map?.nodes ?? []).filter((n) => n.role === common.NodeRole.NODE_ROLE_STORE && n.grpcAddress);
    if (stores.length === 0) return { status: 503, body: 'Snode not ready: no storage nodes known' };
    const node = stores[randomInt(stores.length)];
    let client = this.stores.get(node.grpcAddress);
    if (!client) {
      client = createGrpcClient(swarmstore.SwarmStoreServiceService, node.grpcAddress, { deadlineMs: this.timeoutMs });
      this.stores.set(node.grpcAddress, client);
    }
    try {
      const reply = await client.storageRpc({ method, paramsJson: JSON.stringify(params) });
      return { status: reply.status, body: Buffer.from(reply.body).toString('utf8') };
    } catch (err) {
      if ((err as grpc.ServiceError).code === grpc.status.DEADLINE_EXCEEDED) return { status: 504, body: 'Request time out' };
      return { status: 502, body: 'storage node unavailable' };
    }
  }
}
