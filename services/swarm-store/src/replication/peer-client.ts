// gRPC calls from this node to its swarm peers: forwarded recursive requests and pushes of data,
// both signed with the node key so a peer can tell they come from a storage node of the map.
import type { SwarmMember } from '@starling/membership';
import { createGrpcClient, forwardedRpcSigningBytes, pushMessagesSigningBytes, swarmstore, type GrpcCallObserver, type PromiseClient } from '@starling/proto';
import type { NodeIdentity } from '../identity/node-identity';
import type { StoredMessage } from '../storage/message-store';
import type { HeldRevocation } from '../storage/revocation-store';
import type { PeerAnswer, PeerForwarder } from './peer-forwarding';

type SwarmStoreClient = PromiseClient<typeof swarmstore.SwarmStoreServiceService>;

export class PeerClients implements PeerForwarder {
  private readonly clients = new Map<string, SwarmStoreClient>();

  constructor(
    private readonly identity: NodeIdentity,
    private readonly deadlineMs: number,
    private readonly observe?: GrpcCallObserver,
  ) {}

  private client(address: string): SwarmStoreClient {
    let client = this.clients.get(address);
    if (!client) {
      client = createGrpcClient(swarmstore.SwarmStoreServiceService, address, {
        deadlineMs: this.deadlineMs,
        // A push is idempotent (merging on the hash), so it may be retried on UNAVAILABLE.
        idempotentMethods: ['pushMessages'],
        maxAttempts: 2,
        observe: this.observe,
      });
      this.clients.set(address, client);
    }
    return client;
  }

  async forward(peer: SwarmMember, method: string, paramsJson: string, receivedMs: number): Promise<PeerAnswer> {
    const from = this.identity.ed25519Hex;
    const signature = Buffer.from(this.identity.sign(forwardedRpcSigningBytes(from, method, paramsJson, receivedMs)));
    const res = await this.client(peer.grpcAddress).forwardedRpc({
      method, paramsJson, fromPubkeyEd25519: from, receivedMs: String(receivedMs), signature,
    });
    return { status: res.status, body: res.body };
  }

  /** Pushes messages (and accounts' revocations) as data; resolves with how many messages the peer accepted. */
  async push(peer: SwarmMember, messages: readonly StoredMessage[], revocations: readonly HeldRevocation[] = []): Promise<number> {
    const from = this.identity.ed25519Hex;
    const timestampMs = Date.now();
    const revoked = revocations.map((r) => ({ pubkey: r.owner, token: r.token, revokedMs: String(r.revokedMs) }));
    const signature = Buffer.from(this.identity.sign(pushMessagesSigningBytes(from, timestampMs, messages.map((m) => m.hash), revoked)));
    const res = await this.client(peer.grpcAddress).pushMessages({
      messages: messages.map((m) => ({
        pubkey: m.owner, namespace: m.namespace, hash: m.hash,
        timestampMs: String(m.timestampMs), expiryMs: String(m.expiryMs), data: m.data,
      })),
      fromPubkeyEd25519: from,
      timestampMs: String(timestampMs),
      signature,
      revocations: revoked,
    });
    return res.accepted;
  }

  /** Drops clients of peers no longer in the map. */
  retain(addresses: ReadonlySet<string>): void {
    for (const [address, client] of this.clients) {
      if (!addresses.has(address)) {
        client.close();
        this.clients.delete(address);
      }
    }
  }

  close(): void {
    for (const client of this.clients.values()) client.close();
    this.clients.clear();
  }
}
