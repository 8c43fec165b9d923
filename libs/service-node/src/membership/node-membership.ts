// The node's membership as a provider: it announces the node once its ports are bound (the map
// publishes them), heartbeats and follows the signed map, and leaves when the node stops taking
// work. Readiness waits for the first map.
import { Inject, Injectable, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { NetworkMembership, type NetworkMap } from '@starling/membership';
import { LOGGER, ServiceHost, type Logger } from '@starling/platform';
import { GrpcHost, type common } from '@starling/proto';
import type { NodeDirectory } from '../onion/next-hop';
import { NODE_KEYS, SERVICE_NODE_OPTIONS, type NodeKeys, type ServiceNodeOptions } from '../options';

@Injectable()
export class NodeMembership implements OnApplicationBootstrap, BeforeApplicationShutdown, NodeDirectory {
  private network: NetworkMembership | undefined;
  private readonly mapListeners: ((map: NetworkMap) => void)[] = [];

  constructor(
    @Inject(SERVICE_NODE_OPTIONS) private readonly options: ServiceNodeOptions,
    @Inject(NODE_KEYS) private readonly keys: NodeKeys,
    private readonly host: ServiceHost,
    private readonly grpc: GrpcHost,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    if (options.registry) {
      host.health.addReadiness('network map', () => {
        if (!this.network?.map) throw new Error('no network map yet');
      });
    }
  }

  get map(): NetworkMap | undefined {
    return this.network?.map;
  }

  node(pubkeyEd25519: string): common.NodeInfo | undefined {
    return this.network?.node(pubkeyEd25519);
  }

  /** Called with every newer verified map. */
  onMap(listener: (map: NetworkMap) => void): void {
    this.mapListeners.push(listener);
  }

  onApplicationBootstrap(): void {
    const { registry } = this.options;
    if (!registry) return;
    const edge = this.host.edge;
    const network = new NetworkMembership({
      registryAddress: registry.address,
      registryPubkey: registry.pubkey,
      keys: this.keys,
      role: this.options.role,
      grpcAddress: this.options.grpc.advertise ?? this.grpc.address,
      publicIp: this.options.publicHost ?? this.host.options.edge?.host,
      publicPort: this.options.publicPort ?? edge?.port,
      version: this.options.version,
      logger: this.logger,
      observe: this.host.grpcMetrics.client,
    });
    network.on('map', (map: NetworkMap) => {
      for (const listener of this.mapListeners) listener(map);
    });
    this.network = network;
    // In the background: a node starts (and reports not ready) while the registry is away.
    network.start().catch((err: Error) => this.logger.error({ err: err.message }, 'the registry refused this node'));
  }

  beforeApplicationShutdown(): void {
    this.network?.close();
  }
}
