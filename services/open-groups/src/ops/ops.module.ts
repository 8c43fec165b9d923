import { Module } from '@nestjs/common';
import { FilesModule } from '../files/files.module';
import { RoomsModule } from '../rooms/rooms.module';
import { StoredDataGauges } from './metrics';

@Module({ imports: [RoomsModule, FilesModule], providers: [StoredDataGauges] })
export class OpsModule {}
