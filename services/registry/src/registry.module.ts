// One registry replica as a Nest application: the configuration, and one module per feature.
// The two surfaces import the features they serve: RegistryGrpcModule (nodes announce and
// follow the map) imports NodesModule, which asks LeaderModule for epochs; the leader forms
// swarms, publishes maps (IdentityModule signs them) and tests nodes (ReachabilityModule); every
// replica follows the newest map (MapModule) and SeedModule serves it to clients.
import { Global, Module, type DynamicModule } from '@nestjs/common';
import { REGISTRY_CONFIG, type RegistryConfig } from './config';
import { RegistryGrpcModule } from './grpc/registry-grpc.module';
import { SeedModule } from './http/seed.module';

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
      imports: [RegistryConfigModule.of(config), RegistryGrpcModule, SeedModule],
    };
  }
}
