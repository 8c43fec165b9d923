// One registry replica as a Nest application: the configuration, and one module per feature.
// Nodes announce through gRPC (NodesModule behind RegistryGrpcModule), the leader forms swarms
// and publishes maps (LeaderModule, with ReachabilityModule and IdentityModule), every replica
// follows the newest map (MapModule) and serves it to clients (SeedModule).
import { Global, Module, type DynamicModule } from '@nestjs/common';
import { REGISTRY_CONFIG, type RegistryConfig } from './config';
import { RegistryGrpcModule } from './grpc/registry-grpc.module';
import { SeedModule } from './http/seed.module';
import { LeaderModule } from './leader/leader.module';
import { MapModule } from './map/map.module';
import { NodesModule } from './nodes/nodes.module';

/** The configuration, seen by every feature module. */
@Global()
@Module({})
class RegistryConfigModule {
  static of(config: RegistryConfig): DynamicModule {
    return { module: RegistryConfigModule, providers: [{ provide: REGISTRY_CONFIG, useValue: config }], exports: [REGISTRY_CONFIG] };
  }
}

@Module({})
export class RegistryModule {
  static forConfig(config: RegistryConfig): DynamicModule {
    return {
      module: RegistryModule,
      imports: [RegistryConfigModule.of(config), MapModule, LeaderModule, NodesModule, RegistryGrpcModule, SeedModule],
    };
  }
}
