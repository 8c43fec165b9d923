// The storage node without its network face: identity, storage, swarm view, replication, the RPC,
// the push monitors and the background jobs. SwarmStoreModule adds the public routes, gRPC and membership; tests of
// the storage itself start this alone.
import { Module, type DynamicModule } from '@nestjs/common';
import type { SwarmStoreConfig } from './config';
import { IdentityModule } from './identity/identity.module';
import { MonitorModule } from './monitor/monitor.module';
import { ReplicationModule } from './replication/replication.module';
import { RpcModule } from './rpc/rpc.module';
import { StorageJobs } from './storage/storage-jobs';
import { StorageModule } from './storage/storage.module';
import { SwarmModule } from './swarm-membership/swarm.module';

@Module({})
export class StorageNodeModule {
  static forConfig(config: SwarmStoreConfig, seed: Uint8Array): DynamicModule {
    const features = [StorageModule, SwarmModule, ReplicationModule, RpcModule, MonitorModule];
    return {
      module: StorageNodeModule,
      imports: [IdentityModule.forConfig(config, seed), ...features],
      providers: [StorageJobs],
      exports: [...features, StorageJobs],
    };
  }
}
