// Hands a peeled onion blob to the next node of the path, found by its Ed25519 key in the network
// map. Every listed node, relay or storage node, serves RelayService: it peels its own layer and
// forwards, proxies, or answers a request addressed to it.
import { bytesReply, TEXT_TYPE } from '@starling/platform';
import { createGrpcClient, grpc, MAX_RECONNECT_BACKOFF_MS, RelayServiceForCallers, type common, type GrpcCallObserver, type PromiseClient } from '@starling/proto';
import { pathError, type HopReply } from './hop-reply';

/** Finds a node of the network map by its Ed25519 key. */
export interface NodeDirectory {
  node(pubkeyEd25519: string): common.NodeInfo | undefined;
}

type RelayClient = PromiseClient<typeof RelayServiceForCallers>;

/**
 * A forward to a peer whose last connect failed waits this long for the next one: a relay that
 * restarted is reached as soon as it listens, one still down is reported "not found" soon after.
 */
const RECONNECT_WAIT_MS = 2 * MAX_RECONNECT_BACKOFF_MS;

export class NextHop {
  private readonly clients = new Map<string, RelayClient>();

  constructor(
    private readonly directory: NodeDirectory,
    private readonly hopTimeoutMs: number,
    private readonly observe?: GrpcCallObserver,
  ) {}

  async forward(destinationEd25519: string, blob: Uint8Array): Promise<HopReply> {
    const payload = Buffer.from(blob.buffer, blob.byteOffset, blob.byteLength);
    const node = this.directory.node(destinationEd25519);
    if (!node || !node.grpcAddress) {
      return pathError(502, `Next node not found: ${destinationEd25519}`, 'next_node_not_found');
    }
    try {
      const reply = await this.client(node.grpcAddress).forwardOnion({ payload }, { deadline: Date.now() + this.hopTimeoutMs });
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

  onApplicationShutdown(): void {
    for (const c of this.clients.values()) c.close();
    this.clients.clear();
  }

  private client(address: string): RelayClient {
    let client = this.clients.get(address);
    if (!client) {
      client = createGrpcClient(RelayServiceForCallers, address, { deadlineMs: this.hopTimeoutMs, observe: this.observe, reconnectWaitMs: RECONNECT_WAIT_MS });
      this.clients.set(address, client);
    }
    return client;
  }
}
