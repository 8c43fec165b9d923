// A node's place in the network: it announces itself to the registry (signed with its Ed25519
// key), keeps its entry alive with heartbeats, and follows the registry's signed network map.
// Storage nodes use the map to know their swarm; relays use it to find the next hop.
import { signEd25519, toHex } from '@starling/crypto';
import { announcementSigningBytes, common, grpc, heartbeatSigningBytes, isGrpcStatus, registry } from '@starling/proto';
import { NetworkMapFollower, type FollowOptions, type NodeInfo } from './map-follower';

export type { NetworkMap, NodeInfo } from './map-follower';

export interface NodeKeys {
  ed25519: { publicKey: Uint8Array; secretKey: Uint8Array };
  x25519: { publicKey: Uint8Array };
}

export interface MembershipOptions extends FollowOptions {
  keys: NodeKeys;
  role: common.NodeRole;
  grpcAddress: string;
  publicIp?: string;
  publicPort?: number;
  version: string;
  /** Used until the registry says how often it wants heartbeats. */
  heartbeatMs?: number;
}

/** A listed node: announces itself and heartbeats, and follows the map (see NetworkMapFollower). */
export class NetworkMembership extends NetworkMapFollower {
  private heartbeatTimer?: NodeJS.Timeout;
  readonly pubkeyEd25519: string;

  constructor(private readonly options: MembershipOptions) {
    super(options);
    this.pubkeyEd25519 = toHex(options.keys.ed25519.publicKey);
  }

  /** Announces, then heartbeats and follows the map in the background. Retries until it is in. */
  async start(): Promise<void> {
    const accepted = await this.announceUntilAccepted();
    const everyMs = accepted?.heartbeatIntervalMs || this.options.heartbeatMs || 5_000;
    this.heartbeatTimer = setInterval(() => void this.heartbeat(), everyMs);
    this.heartbeatTimer.unref();
    this.follow();
  }

  override close(): void {
    clearInterval(this.heartbeatTimer);
    super.close();
  }

  private async announceUntilAccepted(): Promise<registry.AnnounceResponse | undefined> {
    for (let attempt = 0; !this.closed; attempt++) {
      try {
        return await this.announce();
      } catch (err) {
        // A refusal (bad signature, bad key) will not change by retrying.
        if (isGrpcStatus(err, grpc.status.INVALID_ARGUMENT) || isGrpcStatus(err, grpc.status.PERMISSION_DENIED) || isGrpcStatus(err, grpc.status.UNAUTHENTICATED)) {
          throw err;
        }
        this.options.logger?.warn({ attempt, err: (err as Error).message }, 'registry not reachable yet; retrying announce');
        await delay(Math.min(200 * 2 ** attempt, 5_000));
      }
    }
    return undefined;
  }

  private async announce(): Promise<registry.AnnounceResponse> {
    const node: NodeInfo = {
      role: this.options.role,
      pubkeyEd25519: this.pubkeyEd25519,
      pubkeyX25519: toHex(this.options.keys.x25519.publicKey),
      grpcAddress: this.options.grpcAddress,
      publicIp: this.options.publicIp ?? '',
      publicPort: this.options.publicPort ?? 0,
      swarmId: '0',
      version: this.options.version,
    };
    const timestampMs = String(Date.now());
    const signature = signEd25519(this.options.keys.ed25519.secretKey, announcementSigningBytes(node, timestampMs));
    return this.client.announce({ node, timestampMs, signature: Buffer.from(signature) });
  }

  private async heartbeat(): Promise<void> {
    const timestampMs = String(Date.now());
    const signature = signEd25519(this.options.keys.ed25519.secretKey, heartbeatSigningBytes(this.pubkeyEd25519, timestampMs));
    try {
      await this.client.heartbeat({ pubkeyEd25519: this.pubkeyEd25519, timestampMs, signature: Buffer.from(signature) });
    } catch (err) {
      // The registry forgot us (it dropped us after missed heartbeats, or lost its state): rejoin.
      if (isGrpcStatus(err, grpc.status.NOT_FOUND) || isGrpcStatus(err, grpc.status.FAILED_PRECONDITION)) {
        await this.announce().catch(() => undefined);
      }
    }
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
