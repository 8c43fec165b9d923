import { Module } from '@nestjs/common';
import { RoomsModel } from '../rooms/rooms.model';
import { RoomsModule } from '../rooms/rooms.module';
import { SETTINGS, type ServerSettings } from '../settings';
import { PinRoutes } from './pins.routes';
import { PinsModel } from './pins.model';

@Module({
  imports: [RoomsModule],
  providers: [
    { provide: PinsModel, inject: [RoomsModel, SETTINGS], useFactory: (rooms: RoomsModel, s: ServerSettings) => new PinsModel(rooms, s.fileExpirySeconds) },
    PinRoutes,
  ],
})
export class PinsModule {}
