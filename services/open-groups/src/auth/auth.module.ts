// X-SOGS-* request authentication, with the nonce store: Redis when the service has it (shared by
// replicas), the database otherwise.
import { Module } from '@nestjs/common';
import { DATABASE, SHARED_STATE, type Database, type SharedState } from '@starling/platform';
import { OpenGroupsMetrics } from '../ops/metrics';
import { CLOCK, SERVER_KEYS, SETTINGS, type Clock, type ServerKeys, type ServerSettings } from '../settings';
import { UsersModel } from '../users/users.model';
import { UsersModule } from '../users/users.module';
import { Authenticator } from './authenticator';
import { DatabaseNonces, SharedStateNonces, type NonceStore } from './nonces';

/** The NonceStore. */
export const NONCES = Symbol('NonceStore');

@Module({
  imports: [UsersModule],
  providers: [
    {
      provide: NONCES,
      inject: [DATABASE, { token: SHARED_STATE, optional: true }],
      useFactory: (db: Database, state: SharedState | undefined): NonceStore =>
        state?.kind === 'redis' ? new SharedStateNonces(state) : new DatabaseNonces(db),
    },
    {
      provide: Authenticator,
      inject: [DATABASE, UsersModel, NONCES, SERVER_KEYS, SETTINGS, CLOCK, OpenGroupsMetrics],
      useFactory: (db: Database, users: UsersModel, nonces: NonceStore, keys: ServerKeys, settings: ServerSettings, now: Clock, metrics: OpenGroupsMetrics) =>
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
  exports: [Authenticator, NONCES],
})
export class AuthModule {}
