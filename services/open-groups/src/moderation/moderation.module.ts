// Moderation: roles, bans, permission overrides and scheduled changes, and their routes.
import { Module } from '@nestjs/common';
import { RoomsModel } from '../rooms/rooms.model';
import { RoomsModule } from '../rooms/rooms.module';
import { UsersModule } from '../users/users.module';
import { ModerationModel } from './moderation.model';
import { ModerationRoutes } from './moderation.routes';
import { PermissionsModel } from './permissions.model';
import { PermissionRoutes } from './permissions.routes';

@Module({
  imports: [RoomsModule, UsersModule],
  providers: [
    PermissionsModel,
    {
      provide: ModerationModel,
      inject: [RoomsModel, PermissionsModel],
      useFactory: (rooms: RoomsModel, permissions: PermissionsModel) => new ModerationModel(rooms, permissions),
    },
    ModerationRoutes,
    PermissionRoutes,
  ],
  exports: [ModerationModel, PermissionsModel],
})
export class ModerationModule {}
