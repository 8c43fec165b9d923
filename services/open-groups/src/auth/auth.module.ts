// X-SOGS-* request authentication, with the nonces shared by every replica.
import { Module } from '@nestjs/common';
import { DATABASE, SHARED_STATE, type Database, type SharedState } from '@starling/platform';
import { OpenGroupsMetrics } from '../ops/metrics';
import { CLOCK, SERVER_KEYS, SETTINGS, type Clock, type ServerKeys, type ServerSettings } from '../settings';
import { UsersModel } from '../users/users.model';
import { UsersModule } from '../users/users.module';
import { Authenticator } from './authenticator';

@Module({
  imports: [UsersModule],
  providers: [
    {
      provide: Authenticator,
      inject: [DATABASE, UsersModel, SHARED_STATE, SERVER_KEYS, SETTINGS, CLOCK, OpenGroupsMetrics],
      useFactory: (db: Database, users: UsersModel, nonces: SharedState, keys: ServerKeys, settings: ServerSettings, now: Clock, metrics: OpenGroupsMetrics) =>
        new Authenticator({
          db,
          users,
          nonces,
          serverPk: keys.publicKey,
          requireBlinding: settings.requireBlinding,
          now,
          onReject: (reason) => metrics.rejections.inc({ reason }),
        }),
    },
  ],
  exports: [Authenticator],
})
export class AuthModule {}
