// Users: lookup, creation on first request, activity and the 05 -> blinded hand-over.
import { Module } from '@nestjs/common';
import { SERVER_KEYS, SETTINGS, type ServerKeys, type ServerSettings } from '../settings';
import { UsersModel } from './users.model';

@Module({
  providers: [
    {
      provide: UsersModel,
      inject: [SERVER_KEYS, SETTINGS],
      useFactory: (keys: ServerKeys, s: ServerSettings) => new UsersModel(keys.publicKey, s.requireBlinding),
    },
  ],
  exports: [UsersModel],
})
export class UsersModule {}
