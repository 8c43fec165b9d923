// The file server as a Nest application: its configuration, metrics and route table, shared by
// every feature (files, onion requests, TURN credentials); the route table is mounted on the edge.
// Database, logger, metrics registry, health checks and the edge come from the platform.
import { Injectable, Module, type DynamicModule, type OnModuleInit } from '@nestjs/common';
import { Edge } from '@starling/platform';
import { FILE_SERVER_CONFIG, type FileServerConfig } from './config';
import { FilesModule } from './files/files.module';
import { FileServerRouter } from './http/router';
import { FileServerMetrics } from './metrics';
import { OnionModule } from './onion/onion.module';
import { TurnModule } from './turn/turn.module';

/** Every public request goes to the one route table. */
@Injectable()
class HttpSurface implements OnModuleInit {
  constructor(
    private readonly edge: Edge,
    private readonly router: FileServerRouter,
  ) {}

  onModuleInit(): void {
    this.edge.mount(this.router);
  }
}

/** What every feature module injects. */
@Module({})
class FileServerCoreModule {}

@Module({})
export class FileServerModule {
  static forConfig(config: FileServerConfig): DynamicModule {
    const core: DynamicModule = {
      module: FileServerCoreModule,
      global: true,
      providers: [{ provide: FILE_SERVER_CONFIG, useValue: config }, FileServerMetrics, FileServerRouter],
      exports: [FILE_SERVER_CONFIG, FileServerMetrics, FileServerRouter],
    };
    return { module: FileServerModule, imports: [core, FilesModule, OnionModule, TurnModule], providers: [HttpSurface] };
  }
}
