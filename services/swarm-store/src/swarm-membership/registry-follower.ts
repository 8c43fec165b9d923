// Following the registry: announce this node (signed) at start, heartbeat, and watch the network
// map, verifying the registry's signature on every version. A broken stream reconnects; a
// registry that forgot the node (NOT_FOUND on heartbeat) gets a fresh announcement.
import { verifyEd25519 } from '@starling/crypto';
import type { Logger } from '@starling/platform';
import {
  announcementSigningBytes, common, createGrpcClient, grpc, heartbeatSigningBytes, isGrpcStatus, networkMapSigningBytes, registry,
  type PromiseClient,
} from '@starling/proto';
import type { NodeIdentity } from '../identity/node-identity';
import { SwarmView } from './swarm-view';

export interface RegistryFollowerOptions {
  address: string;
  identity: NodeIdentity;
  /** What the node says about itself (role, keys and swarm are filled in here). */
  grpcAddress: string;
  publicIp: string;
  publicPort: number;
  version: string;
  heartbeatIntervalMs: number;
  /** Only maps signed by this key are followed (any validly signed map when absent). */
  registryPubkey?: string;
  onView: (view: SwarmView) => void;
  logger: Logger;
}

export class RegistryFollower {
  private readonly client: PromiseClient<typeof registry.RegistryServiceService>;
  private stream: grpc.ClientReadableStream<registry.WatchNetworkMapResponse> | undefined;
  private heartbeatTimer: NodeJS.Timeout | undefined;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private knownVersion = 0n;
  private stopped = false;
  private announced = false;

  constructor(private readonly o: RegistryFollowerOptions) {
    this.client = createGrpcClient(registry.RegistryServiceService, o.address, {
      deadlineMs: 5_000,
      idempotentMethods: ['announce', 'heartbeat', 'getNetworkMap'],
    });
  }

  get hasAnnounced(): boolean {
    return this.announced;
  }

  start(): void {
    void this.announceUntilDone();
    this.watch();
    this.heartbeatTimer = setInterval(() => void this.heartbeat(), this.o.heartbeatIntervalMs);
    this.heartbeatTimer.unref();
  }

  stop(): void {
    this.stopped = true;
    clearInterval(this.heartbeatTimer);
    clearTimeout(this.reconnectTimer);
    this.stream?.cancel();
    this.client.close();
  }

  private nodeInfo(): common.NodeInfo {
    return {
      role: common.NodeRole.NODE_ROLE_STORE,
      pubkeyEd25519: this.o.identity.ed25519Hex,
      pubkeyX25519: this.o.identity.x25519Hex,
      grpcAddress: this.o.grpcAddress,
      publicIp: this.o.publicIp,
      publicPort: this.o.publicPort,
      swarmId: '0',
      version: this.o.version,
    };
  }

  private async announceUntilDone(): Promise<void> {
    for (let attempt = 0; !this.stopped; attempt++) {
      try {
        const node = this.nodeInfo();
        const timestampMs = String(Date.now());
        const signature = Buffer.from(this.o.identity.sign(announcementSigningBytes(node, timestampMs)));
        await this.client.announce({ node, timestampMs, signature });
        this.announced = true;
        this.o.logger.info({ registry: this.o.address }, 'announced to the registry');
        return;
      } catch (err) {
        this.o.logger.warn({ err: (err as Error).message, attempt }, 'announce failed; retrying');
        await new Promise((r) => setTimeout(r, Math.min(5_000, 200 * 2 ** attempt)));
      }
    }
  }

  private async heartbeat(): Promise<void> {
    if (!this.announced || this.stopped) return;
    const timestampMs = String(Date.now());
    const pubkey = this.o.identity.ed25519Hex;
    try {
      await this.client.heartbeat({ pubkeyEd25519: pubkey, timestampMs, signature: Buffer.from(this.o.identity.sign(heartbeatSigningBytes(pubkey, timestampMs))) });
    } catch (err) {
      if (isGrpcStatus(err, grpc.status.NOT_FOUND)) {
        this.announced = false;
        void this.announceUntilDone();
      } else this.o.logger.warn({ err: (err as Error).message }, 'heartbeat failed');
    }
  }

  private watch(): void {
    if (this.stopped) return;
    const stream = this.client.watchNetworkMap({ knownVersion: this.knownVersion.toString() });
    this.stream = stream;
    stream.on('data', (res: registry.WatchNetworkMapResponse) => {
      if (res.map) this.accept(res.map);
    });
    const again = () => {
      if (this.stream !== stream || this.stopped) return;
      this.stream = undefined;
      this.reconnectTimer = setTimeout(() => this.watch(), 500);
    };
    stream.on('error', again);
    stream.on('end', again);
  }

  private accept(map: registry.NetworkMap): void {
    const version = BigInt(map.version);
    if (version <= this.knownVersion) return;
    const key = map.registryPubkey.toLowerCase();
    if (this.o.registryPubkey && key !== this.o.registryPubkey) {
      this.o.logger.error({ key }, 'network map signed by an unexpected registry key; ignored');
      return;
    }
    if (!/^[0-9a-f]{64}$/.test(key) || !verifyEd25519(map.signature, networkMapSigningBytes(map), Buffer.from(key, 'hex'))) {
      this.o.logger.error({ version: map.version }, 'network map signature does not verify; ignored');
      return;
    }
    this.knownVersion = version;
    this.o.onView(SwarmView.fromNodeInfos(this.o.identity.ed25519Hex, map.nodes, version));
  }
}
