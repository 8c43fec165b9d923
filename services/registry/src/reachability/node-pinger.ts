// Reaches a node the way its peers do: its gRPC Ping, which must answer with the key we expect.
import { createGrpcClient, grpc, isGrpcStatus, relay, swarmstore, type GrpcCallObserver, type PromiseClient } from '@starling/proto';
import { common } from '@starling/proto';

export interface PingTarget {
  role: number;
  pubkeyEd25519: string;
  grpcAddress: string;
}

/** Injection token of the NodePinger. */
export const NODE_PINGER = Symbol('NodePinger');

export interface NodePinger {
  /** True when the node answered in time and with its own key. */
  ping(node: PingTarget): Promise<boolean>;
  /** Closes the channel kept for a node that is gone. */
  forget(node: PingTarget): void;
  close(): void;
}

type PingClient = PromiseClient<typeof swarmstore.SwarmStoreServiceService> | PromiseClient<typeof relay.RelayServiceService>;

export class GrpcNodePinger implements NodePinger {
  private readonly clients = new Map<string, PingClient>();

  constructor(
    private readonly timeoutMs: number,
    private readonly observe?: GrpcCallObserver,
  ) {}

  async ping(node: PingTarget): Promise<boolean> {
    try {
      const res = await this.client(node).ping({}, { deadline: Date.now() + this.timeoutMs });
      return res.pubkeyEd25519 === node.pubkeyEd25519;
    } catch (err) {
      // A relay built before RelayService/Ping existed still proves its server answers; it
      // cannot prove its key, which the onion layer encryption does anyway.
      return node.role === common.NodeRole.NODE_ROLE_RELAY && isGrpcStatus(err, grpc.status.UNIMPLEMENTED);
    }
  }

  forget(node: PingTarget): void {
    const key = clientKey(node);
    this.clients.get(key)?.close();
    this.clients.delete(key);
  }

  close(): void {
    for (const client of this.clients.values()) client.close();
    this.clients.clear();
  }

  private client(node: PingTarget): PingClient {
    const key = clientKey(node);
    let client = this.clients.get(key);
    if (!client) {
      // A test waits for a connection within its deadline: a node that restarted after failed
      // tests would otherwise fail the next one while the channel backs off, and be unlisted.
      const options = { deadlineMs: this.timeoutMs, observe: this.observe, reconnectWaitMs: this.timeoutMs };
      client =
        node.role === common.NodeRole.NODE_ROLE_RELAY
          ? createGrpcClient(relay.RelayServiceService, node.grpcAddress, options)
          : createGrpcClient(swarmstore.SwarmStoreServiceService, node.grpcAddress, options);
      this.clients.set(key, client);
    }
    return client;
  }
}

function clientKey(node: PingTarget): string {
  return `${node.role}|${node.grpcAddress}`;
}
