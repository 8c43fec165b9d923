// The storage node as a Nest application: a listed node (ServiceNodeModule: public routes, onion
// hops, admission, membership) whose requests are answered by its storage — the RPC handlers,
// replication within its swarm, and the background jobs.
import { Module, type DynamicModule } from '@nestjs/common';
import { identityFromSeed } from '@starling/crypto';
import { common } from '@starling/proto';
import { NODE_KEYS, ServiceNodeModule, serviceNodeOptions, STORAGE_SERVER_VERSION_TEXT } from '@starling/service-node';
import type { SwarmStoreConfig } from './config';
import { SwarmStoreGrpc } from './grpc/swarm-store-grpc';
import { RpcModule } from './rpc/rpc.module';
import { StorageNodeRpc } from './rpc/storage-node-rpc';
import { StorageNodeModule } from './storage-node.module';
import { SwarmFollower } from './swarm-membership/swarm-follower';
import { NODE_SEED } from './tokens';

@Module({})
export class SwarmStoreModule {
  static forConfig(config: SwarmStoreConfig, seed: Uint8Array): DynamicModule {
    return {
      module: SwarmStoreModule,
      imports: [
        StorageNodeModule.forConfig(config, seed),
        ServiceNodeModule.register({
          options: serviceNodeOptions(config, common.NodeRole.NODE_ROLE_STORE, STORAGE_SERVER_VERSION_TEXT),
          keys: { provide: NODE_KEYS, inject: [NODE_SEED], useFactory: (seed: Uint8Array) => identityFromSeed(seed) },
          rpc: StorageNodeRpc,
          imports: [RpcModule],
        }),
      ],
      providers: [SwarmFollower, SwarmStoreGrpc],
    };
  }
}
