// The node's identity and configuration, needed by nearly every feature: global.
import { Global, Module, type DynamicModule } from '@nestjs/common';
import { ready } from '@starling/crypto';
import type { SwarmStoreConfig } from '../config';
import { NODE_SEED, SWARM_STORE_CONFIG } from '../tokens';
import { loadOrCreateSeed, NodeIdentity } from './node-identity';

@Global()
@Module({})
export class IdentityModule {
  static forConfig(config: SwarmStoreConfig): DynamicModule {
    return {
      module: IdentityModule,
      providers: [
        { provide: SWARM_STORE_CONFIG, useValue: config },
        {
          provide: NODE_SEED,
          useFactory: async () => {
            await ready();
            return loadOrCreateSeed(config.dataDir);
          },
        },
        { provide: NodeIdentity, inject: [NODE_SEED], useFactory: (seed: Uint8Array) => new NodeIdentity(seed) },
      ],
      exports: [SWARM_STORE_CONFIG, NODE_SEED, NodeIdentity],
    };
  }
}
