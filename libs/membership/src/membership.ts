// A node's place in the network: it announces itself to the registry (signed with its Ed25519
// key), keeps its entry alive with heartbeats, and follows the registry's signed network map.
// Storage nodes use the map to know their swarm; relays use it to find the next hop.
import { EventEmitter } from 'events';
import { signEd25519, toHex, verifyEd25519, fromHex } from '@starling/crypto';
import type { Logger } from '@starling/platform';
import {
  announcementSigningBytes,
  common,
  createGrpcClient,
  grpc,
  heartbeatSigningBytes,
  isGrpcStatus,
  networkMapSigningBytes,
  type GrpcCallObserver,
  PromiseClient,
  registry,
} from '@starling/proto';

export interface NodeKeys {
  ed25519: { publicKey: Uint8Array; secretKey: Uint8Array };
  x25519: { publicKey: Uint8Array };
}

export interface MembershipOptions {
  /** host:port of the registry's gRPC server (a Kubernetes Service in a cluster). */
  registryAddress: string;
  keys: NodeKeys;
  role: common.NodeRole;
  grpcAddress: string;
  publicIp?: string;
  publicPort?: number;
  version: string;
  /** Hex Ed25519 key of the registry; without it the first map's signer is trusted and pinned. */
  registryPubkey?: string;
  /** Used until the registry says how often it wants heartbeats. */
  heartbeatMs?: number;
  logger?: Logger;
  /** Told of every call to the registry (the service's gRPC client metrics). */
  observe?: GrpcCallObserver;
}

export type NetworkMap = registry.NetworkMap;
export type NodeInfo = common.NodeInfo;

/**
 * Emits `map` (NetworkMap) for every newer verified map. `node(ed)` looks a node up in the
 * latest map. Reconnects to the registry with backoff for as long as it is open.
 */
export class NetworkMembership extends EventEmitter {
  private client: PromiseClient<typeof registry.RegistryServiceService>;
  private latest?: NetworkMap;
  private byEd25519 = new Map<string, NodeInfo>();
  private pinnedRegistry?: string;
  private heartbeatTimer?: NodeJS.Timeout;
  private watchCall?: grpc.ClientReadableStream<registry.WatchNetworkMapResponse>;
  private reconnectTimer?: NodeJS.Timeout;
  private closed = false;
  private failures = 0;
  readonly pubkeyEd25519: string;

  constructor(private readonly options: MembershipOptions) {
    super();
    this.client = createGrpcClient(registry.RegistryServiceService, options.registryAddress, {
      deadlineMs: 5_000,
      idempotentMethods: ['announce', 'heartbeat', 'getNetworkMap'],
      observe: options.observe,
    });
    this.pubkeyEd25519 = toHex(options.keys.ed25519.publicKey);
    this.pinnedRegistry = options.registryPubkey?.toLowerCase();
  }

  /** Announces, then heartbeats and follows the map in the background. Retries until it is in. */
  async start(): Promise<void> {
    const accepted = await this.announceUntilAccepted();
    const everyMs = accepted?.heartbeatIntervalMs || this.options.heartbeatMs || 5_000;
    this.heartbeatTimer = setInterval(() => void this.heartbeat(), everyMs);
    this.heartbeatTimer.unref();
    this.watch();
  }

  get map(): NetworkMap | undefined {
    return this.latest;
  }

  node(pubkeyEd25519: string): NodeInfo | undefined {
    return this.byEd25519.get(pubkeyEd25519.toLowerCase());
  }

  /** Resolves with the first map (current or future) that satisfies `accept`. */
  waitForMap(accept: (map: NetworkMap) => boolean, timeoutMs: number): Promise<NetworkMap> {
    if (this.latest && accept(this.latest)) return Promise.resolve(this.latest);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.off('map', onMap);
        reject(new Error(`no acceptable network map within ${timeoutMs} ms`));
      }, timeoutMs);
      const onMap = (map: NetworkMap) => {
        if (!accept(map)) return;
        clearTimeout(timer);
        this.off('map', onMap);
        resolve(map);
      };
      this.on('map', onMap);
    });
  }

  close(): void {
    this.closed = true;
    clearInterval(this.heartbeatTimer);
    clearTimeout(this.reconnectTimer);
    this.watchCall?.cancel();
    this.client.close();
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

  private watch(): void {
    if (this.closed) return;
    const call = this.client.watchNetworkMap({ knownVersion: this.latest?.version ?? '0' });
    this.watchCall = call;
    call.on('data', (res: registry.WatchNetworkMapResponse) => {
      this.failures = 0;
      if (res.map) this.accept(res.map);
    });
    const retry = () => {
      if (this.closed || this.watchCall !== call) return;
      this.watchCall = undefined;
      this.failures++;
      this.reconnectTimer = setTimeout(() => this.watch(), Math.min(100 * 2 ** this.failures, 5_000));
      this.reconnectTimer.unref();
    };
    call.on('error', retry);
    call.on('end', retry);
  }

  private accept(map: NetworkMap): void {
    if (this.latest && BigInt(map.version) <= BigInt(this.latest.version)) return;
    const signer = map.registryPubkey.toLowerCase();
    if (this.pinnedRegistry && signer !== this.pinnedRegistry) {
      this.options.logger?.error({ signer }, 'network map signed by an unexpected registry key; ignored');
      return;
    }
    const { signature, ...unsigned } = map;
    if (!verifyEd25519(signature, networkMapSigningBytes(unsigned), fromHex(signer, 32))) {
      this.options.logger?.error({ version: map.version }, 'network map with a bad signature; ignored');
      return;
    }
    this.pinnedRegistry = signer;
    this.latest = map;
    this.byEd25519 = new Map(map.nodes.map((n) => [n.pubkeyEd25519.toLowerCase(), n]));
    this.emit('map', map);
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
