// Room messages: the seqno-ordered post/edit/delete model and its routes.
import { Module } from '@nestjs/common';
import { DATABASE, type Database } from '@starling/platform';
import { RoomsModule } from '../rooms/rooms.module';
import { SETTINGS, type ServerSettings } from '../settings';
import { UsersModule } from '../users/users.module';
import { MessageRoutes } from './messages.routes';
import { MessagesModel } from './messages.model';

@Module({
  imports: [RoomsModule, UsersModule],
  providers: [
    {
      provide: MessagesModel,
      inject: [DATABASE, SETTINGS],
      useFactory: (db: Database, s: ServerSettings) =>
        new MessagesModel(db, {
          rateLimitPosts: s.postRateLimit,
          rateLimitWindowSeconds: s.postRateWindowSeconds,
          fileExpirySeconds: s.fileExpirySeconds,
          uploadClaimSeconds: s.uploadClaimSeconds,
        }),
    },
    MessageRoutes,
  ],
  exports: [MessagesModel],
})
export class MessagesModule {}
