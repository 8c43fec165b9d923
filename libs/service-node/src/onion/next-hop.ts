// Hands a peeled onion blob to the next node of the path, found by its Ed25519 key in the network
// map: another relay (RelayService) or, for the last layer, a storage node (SwarmStoreService).
import { bytesReply, TEXT_TYPE } from '@starling/platform';
import { common, createGrpcClient, grpc, PromiseClient, relay, swarmstore } from '@starling/proto';
import { pathError, type HopReply } from './hop-reply';

/** Finds a node of the network map by its Ed25519 key. */
export interface NodeDirectory {
  node(pubkeyEd25519: string): common.NodeInfo | undefined;
}

type RelayClient = PromiseClient<typeof relay.RelayServiceService>;
type StoreClient = PromiseClient<typeof swarmstore.SwarmStoreServiceService>;

export class NextHop {
  private relays = new Map<string, RelayClient>();
  private stores = new Map<string, StoreClient>();

  constructor(
    private readonly directory: NodeDirectory,
    private readonly hopTimeoutMs: number,
  ) {}

  async forward(destinationEd25519: string, blob: Uint8Array): Promise<HopReply> {
    const payload = Buffer.from(blob.buffer, blob.byteOffset, blob.byteLength);
    const node = this.directory.node(destinationEd25519);
    if (!node || !node.grpcAddress) {
      return pathError(502, `Next node not found: ${destinationEd25519}`, 'next_node_not_found');
    }
    const options = { deadline: Date.now() + this.hopTimeoutMs };
    try {
      const reply =
        node.role === common.NodeRole.NODE_ROLE_STORE
          ? await this.store(node.grpcAddress).onionRequest({ payload }, options)
          : await this.relay(node.grpcAddress).forwardOnion({ payload }, options);
      return { ...bytesReply(reply.status, TEXT_TYPE, reply.body), outcome: 'forwarded' };
    } catch (err) {
      const code = (err as grpc.ServiceError).code;
      if (code === grpc.status.DEADLINE_EXCEEDED) return pathError(504, 'Request time out', 'timeout');
      if (code === grpc.status.UNAVAILABLE) {
        return pathError(502, `Next node not found: ${destinationEd25519}`, 'next_node_not_found');
      }
      return pathError(500, 'Invalid response from snode', 'upstream_error');
    }
  }

  close(): void {
    for (const c of [...this.relays.values(), ...this.stores.values()]) c.close();
    this.relays.clear();
    this.stores.clear();
  }

  private relay(address: string): RelayClient {
    let client = this.relays.get(address);
    if (!client) {
      client = createGrpcClient(relay.RelayServiceService, address, { deadlineMs: this.hopTimeoutMs });
      this.relays.set(address, client);
    }
    return client;
  }

  private store(address: string): StoreClient {
    let client = this.stores.get(address);
    if (!client) {
      client = createGrpcClient(swarmstore.SwarmStoreServiceService, address, { deadlineMs: this.hopTimeoutMs });
      this.stores.set(address, client);
    }
    return client;
  }
}
