// Following the registry's signed network map without being in it: a watch stream that
// reconnects with backoff, and only newer maps signed by the pinned registry key are taken. Nodes
// announce themselves on top of this (NetworkMembership); services that only read the map, such
// as the push server finding the swarms of its subscribers, use it as it is.
import { EventEmitter } from 'events';
import { fromHex, verifyEd25519 } from '@starling/crypto';
import type { Logger } from '@starling/platform';
import { common, createGrpcClient, grpc, networkMapSigningBytes, PromiseClient, registry, type GrpcCallObserver } from '@starling/proto';

export interface FollowOptions {
  /** host:port of the registry's gRPC server (a Kubernetes Service in a cluster). */
  registryAddress: string;
  /** Hex Ed25519 key of the registry; without it the first map's signer is trusted and pinned. */
  registryPubkey?: string;
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
export class NetworkMapFollower extends EventEmitter {
  protected readonly client: PromiseClient<typeof registry.RegistryServiceService>;
  protected closed = false;
  private latest?: NetworkMap;
  private byEd25519 = new Map<string, NodeInfo>();
  private pinnedRegistry?: string;
  private watchCall?: grpc.ClientReadableStream<registry.WatchNetworkMapResponse>;
  private reconnectTimer?: NodeJS.Timeout;
  private failures = 0;

  constructor(protected readonly followOptions: FollowOptions) {
    super();
    this.client = createGrpcClient(registry.RegistryServiceService, followOptions.registryAddress, {
      deadlineMs: 5_000,
      idempotentMethods: ['announce', 'heartbeat', 'getNetworkMap'],
      observe: followOptions.observe,
    });
    this.pinnedRegistry = followOptions.registryPubkey?.toLowerCase();
  }

  /** Starts watching the map in the background (the registry need not be up yet). */
  follow(): void {
    if (!this.watchCall && !this.closed) this.watch();
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
    clearTimeout(this.reconnectTimer);
    this.watchCall?.cancel();
    this.client.close();
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
      this.followOptions.logger?.error({ signer }, 'network map signed by an unexpected registry key; ignored');
      return;
    }
    const { signature, ...unsigned } = map;
    if (!verifyEd25519(signature, networkMapSigningBytes(unsigned), fromHex(signer, 32))) {
      this.followOptions.logger?.error({ version: map.version }, 'network map with a bad signature; ignored');
      return;
    }
    this.pinnedRegistry = signer;
    this.latest = map;
    this.byEd25519 = new Map(map.nodes.map((n) => [n.pubkeyEd25519.toLowerCase(), n]));
    this.emit('map', map);
  }
}
