// The direct (non-onion) storage RPCs a client sends a relay before it trusts it as a guard:
// `info`, and `get_swarm`, which the relay answers by asking a storage node of the current map.
import { randomInt } from 'crypto';
import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { jsonReply, RawJson, parseJson, textReply, type EdgeRequest, type Reply } from '@starling/platform';
import { common, createGrpcClient, grpc, swarmstore, type PromiseClient } from '@starling/proto';
import { NodeMembership, SERVICE_NODE_OPTIONS, type ServiceNodeOptions, type StorageRpcHandler } from '@starling/service-node';

export const STORAGE_SERVER_VERSION = [2, 8, 0];
export const HARDFORK = [19, 4];

@Injectable()
export class GuardRpc implements StorageRpcHandler, OnApplicationShutdown {
  private stores = new Map<string, PromiseClient<typeof swarmstore.SwarmStoreServiceService>>();
  private readonly timeoutMs: number;

  constructor(
    private readonly membership: NodeMembership,
    @Inject(SERVICE_NODE_OPTIONS) options: ServiceNodeOptions,
  ) {
    this.timeoutMs = options.hopTimeoutMs;
  }

  async handleStorageRpc(req: EdgeRequest): Promise<Reply> {
    const parsed = parseJson(req.body.toString('utf8'));
    if (!parsed.ok) return textReply(400, parsed.error);
    const request = parsed.value;
    if (typeof request !== 'object' || request === null || Array.isArray(request)) {
      return textReply(400, 'invalid request: expected a JSON object with "method"');
    }
    const { method, params } = request as { method?: unknown; params?: unknown };
    if (typeof method !== 'string') return textReply(400, 'invalid request: "method" must be a string');
    const now = Date.now();
    switch (method) {
      case 'info':
        return jsonReply(200, { version: STORAGE_SERVER_VERSION, timestamp: now, t: now, hf: HARDFORK });
      case 'get_swarm':
      case 'get_snodes_for_pubkey':
        return this.askStorageNode(method, params ?? {});
      default:
        return textReply(400, `no method ${method.slice(0, 64)}`);
    }
  }

  onApplicationShutdown(): void {
    for (const c of this.stores.values()) c.close();
    this.stores.clear();
  }

  private async askStorageNode(method: string, params: unknown): Promise<Reply> {
    const stores = (this.membership.map?.nodes ?? []).filter((n) => n.role === common.NodeRole.NODE_ROLE_STORE && n.grpcAddress);
    if (stores.length === 0) return textReply(503, 'Snode not ready: no storage nodes known');
    const node = stores[randomInt(stores.length)]!;
    let client = this.stores.get(node.grpcAddress);
    if (!client) {
      client = createGrpcClient(swarmstore.SwarmStoreServiceService, node.grpcAddress, { deadlineMs: this.timeoutMs });
      this.stores.set(node.grpcAddress, client);
    }
    try {
      const reply = await client.storageRpc({ method, paramsJson: JSON.stringify(params) });
      const body = Buffer.from(reply.body).toString('utf8');
      return reply.status < 300 ? jsonReply(reply.status, new RawJson(body)) : textReply(reply.status, body);
    } catch (err) {
      if ((err as grpc.ServiceError).code === grpc.status.DEADLINE_EXCEEDED) return textReply(504, 'Request time out');
      return textReply(502, 'storage node unavailable');
    }
  }
}
