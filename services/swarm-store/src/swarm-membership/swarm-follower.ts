// Following the network: each newer signed map becomes the node's swarm view, and the node reacts
// to what changed (pushes to joiners, hands accounts over). A node without a registry forms swarm
// 0 alone, published at its own addresses, once its ports are bound.
import { networkOf, soloView, SwarmView } from '@starling/membership';
import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { LOGGER, ServiceHost, type Logger } from '@starling/platform';
import { common, GrpcHost } from '@starling/proto';
import { NodeMembership, STORAGE_SERVER_VERSION_TEXT } from '@starling/service-node';
import type { SwarmStoreConfig } from '../config';
import { NodeIdentity } from '../identity/node-identity';
import { SWARM_STORE_CONFIG } from '../tokens';
import { SwarmChangeReactor } from './swarm-changes';
import { SwarmViews } from './swarm-views';

@Injectable()
export class SwarmFollower implements OnApplicationBootstrap {
  constructor(
    private readonly views: SwarmViews,
    private readonly reactor: SwarmChangeReactor,
    private readonly membership: NodeMembership,
    private readonly identity: NodeIdentity,
    private readonly host: ServiceHost,
    private readonly grpc: GrpcHost,
    @Inject(SWARM_STORE_CONFIG) private readonly config: SwarmStoreConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    if (config.registryAddress) host.health.addReadiness('swarm', () => this.views.current.mySwarmId !== undefined);
  }

  onApplicationBootstrap(): Promise<void> {
    if (this.config.registryAddress) {
      this.membership.onMap((map) => {
        const view = SwarmView.fromNodeInfos(this.identity.ed25519Hex, map.nodes, BigInt(map.version));
        this.views.network = networkOf(map);
        this.logger.info({ version: map.version, swarm: view.mySwarmId?.toString(16), peers: view.peers().length }, 'network map');
        void this.reactor.apply(view);
      });
      return Promise.resolve();
    }
    const self = { grpcAddress: this.grpc.address, publicIp: this.config.publicHost ?? this.config.host, publicPort: this.host.edge!.port };
    this.views.network = {
      version: 0n,
      hash: '',
      nodes: [{ role: common.NodeRole.NODE_ROLE_STORE, pubkeyEd25519: this.identity.ed25519Hex, pubkeyX25519: this.identity.x25519Hex, swarmId: '0', version: STORAGE_SERVER_VERSION_TEXT, ...self }],
    };
    return this.reactor.apply(soloView(this.identity, self));
  }
}
