import { type DynamicModule, Module } from '@nestjs/common';
import { FilesController } from './files/files.controller';
import { FileRoutes } from './files/file-routes';
import type { Logger } from '@starling/platform';
import { ONION_LOGGER, OnionController } from './onion/onion.controller';
import { OnionHandler } from './onion/onion-handler';

/** The Nest shell: both controllers around the dispatcher and onion handler built in file-server.ts. */
@Module({})
export class FileServerModule {
  static register(deps: { routes: FileRoutes; onion: OnionHandler; log: Logger }): DynamicModule {
    return {
      module: FileServerModule,
      // Onion routes first; the files controller's catch-all takes every other path.
      controllers: [OnionController, FilesController],
      providers: [
        { provide: FileRoutes, useValue: deps.routes },
        { provide: OnionHandler, useValue: deps.onion },
        { provide: ONION_LOGGER, useValue: deps.log },
      ],
    };
  }
}
