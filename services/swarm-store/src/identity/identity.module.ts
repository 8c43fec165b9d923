// The node's identity and configuration, needed by nearly every feature: global.
import { Global, Module, type DynamicModule } from '@nestjs/common';
import type { SwarmStoreConfig } from '../config';
import { NODE_SEED, SWARM_STORE_CONFIG } from '../tokens';
import { NodeIdentity } from './node-identity';

@Global()
@Module({})
export class IdentityModule {
  /** `seed` is the node's key, read from its data folder (loadOrCreateSeed) before the node is built. */
  static forConfig(config: SwarmStoreConfig, seed: Uint8Array): DynamicModule {
    return {
      module: IdentityModule,
      providers: [
        { provide: SWARM_STORE_CONFIG, useValue: config },
        { provide: NODE_SEED, useValue: seed },
        { provide: NodeIdentity, inject: [NODE_SEED], useFactory: (seed: Uint8Array) => new NodeIdentity(seed) },
      ],
      exports: [SWARM_STORE_CONFIG, NODE_SEED, NodeIdentity],
    };
  }
}
