// The gRPC server nodes talk to: RegistryService and the standard health service, started and
// drained with the service. Watch streams are ended when the replica stops taking work, so the
// drain does not wait for them.
import { Inject, Injectable, Module, type BeforeApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { LOGGER, ServiceHost, type Logger } from '@starling/platform';
import { GrpcHost, registry } from '@starling/proto';
import { REGISTRY_CONFIG, type RegistryConfig } from '../config';
import { MapFeed } from '../map/map-feed';
import { MapModule } from '../map/map.module';
import { RegistryMetrics } from '../metrics';
import { Announcements } from '../nodes/announcements';
import { NodesModule } from '../nodes/nodes.module';
import { registryGrpc, type RegistryGrpc } from './registry-grpc';

@Injectable()
class RegistryGrpcService implements OnModuleInit, BeforeApplicationShutdown {
  private readonly service: RegistryGrpc;

  constructor(
    private readonly grpc: GrpcHost,
    announcements: Announcements,
    feed: MapFeed,
    metrics: RegistryMetrics,
    @Inject(LOGGER) logger: Logger,
  ) {
    this.service = registryGrpc({ announcements, feed, metrics, logger });
  }

  onModuleInit(): void {
    this.grpc.serve(registry.RegistryServiceService, this.service.handlers);
  }

  beforeApplicationShutdown(): void {
    this.service.closeWatchers();
  }
}

@Module({
  imports: [NodesModule, MapModule],
  providers: [
    {
      provide: GrpcHost,
      inject: [ServiceHost, REGISTRY_CONFIG],
      useFactory: (host: ServiceHost, config: RegistryConfig) => host.addListener(new GrpcHost({ host: config.host, port: config.grpcPort, observe: host.grpcMetrics.server }, () => host.serving())),
    },
    RegistryGrpcService,
  ],
  exports: [GrpcHost],
})
export class RegistryGrpcModule {}
