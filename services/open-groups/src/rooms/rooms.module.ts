// Rooms: the model every other feature reads access through, the room routes, /capabilities, and
// the rooms the configuration asks for, created at start.
import { Inject, Injectable, Module, type OnModuleInit } from '@nestjs/common';
import { DATABASE, LOGGER, type Database, type Logger } from '@starling/platform';
import { roomTokens, type OpenGroupsConfig } from '../config';
import { CLOCK, OPEN_GROUPS_CONFIG, SETTINGS, type Clock, type ServerSettings } from '../settings';
import { CapabilityRoutes } from './capabilities.routes';
import { RoomRoutes } from './rooms.routes';
import { RoomsModel } from './rooms.model';

/** Creates the configured rooms that do not exist yet, before the server takes requests. */
@Injectable()
class ConfiguredRooms implements OnModuleInit {
  constructor(
    @Inject(OPEN_GROUPS_CONFIG) private readonly config: OpenGroupsConfig,
    @Inject(DATABASE) private readonly db: Database,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(CLOCK) private readonly now: Clock,
    private readonly rooms: RoomsModel,
  ) {}

  async onModuleInit(): Promise<void> {
    for (const token of roomTokens(this.config)) {
      if (await this.rooms.createIfMissing(this.db, token, this.now())) this.logger.info({ room: token }, 'room created');
    }
  }
}

@Module({
  providers: [
    { provide: RoomsModel, inject: [SETTINGS], useFactory: (settings: ServerSettings) => new RoomsModel(settings) },
    ConfiguredRooms,
    RoomRoutes,
    CapabilityRoutes,
  ],
  exports: [RoomsModel],
})
export class RoomsModule {}
