import { Module } from '@nestjs/common';
import { RoomsModule } from '../rooms/rooms.module';
import { FileRoutes } from './files.routes';
import { FilesModel } from './files.model';

@Module({ imports: [RoomsModule], providers: [FilesModel, FileRoutes], exports: [FilesModel] })
export class FilesModule {}
