// The operator's side of the running server: the admin socket in the data folder (the command
// line's way in while the server holds the embedded database) and the initial admins.
import { Module } from '@nestjs/common';
import { DATABASE, LOGGER, ServiceHost, type Database, type Logger } from '@starling/platform';
import type { OpenGroupsConfig } from '../config';
import { ModerationModule } from '../moderation/moderation.module';
import { CLOCK, MIGRATIONS_DIR, OPEN_GROUPS_CONFIG, SERVER_KEYS, SETTINGS, type Clock, type ServerKeys, type ServerSettings } from '../settings';
import { UsersModule } from '../users/users.module';
import { adminSocketPath, AdminSocketServer } from './admin-socket';
import { InitialAdmins } from './initial-admins';
import { AdminOperations } from './operations';

/** Room images travel base64 in one request line, with room to spare. */
const requestCap = (settings: ServerSettings) => Math.ceil((settings.maxFileBytes * 4) / 3) + 64 * 1024;

@Module({
  imports: [UsersModule, ModerationModule],
  providers: [
    {
      provide: AdminOperations,
      inject: [DATABASE, SERVER_KEYS, SETTINGS, CLOCK, OPEN_GROUPS_CONFIG, ServiceHost],
      useFactory: (db: Database, keys: ServerKeys, settings: ServerSettings, now: Clock, config: OpenGroupsConfig, host: ServiceHost) =>
        new AdminOperations({
          db,
          serverPk: keys.publicKey,
          requireBlinding: settings.requireBlinding,
          baseUrl: () => config.baseUrl ?? host.edge!.url,
          migrationsDir: MIGRATIONS_DIR,
          activeUsersCutoffSeconds: settings.activeUsersCutoffSeconds,
          now,
        }),
    },
    {
      provide: AdminSocketServer,
      inject: [ServiceHost, OPEN_GROUPS_CONFIG, AdminOperations, LOGGER, SETTINGS],
      useFactory: (host: ServiceHost, config: OpenGroupsConfig, ops: AdminOperations, logger: Logger, settings: ServerSettings) =>
        config.dataDir ? host.addListener(new AdminSocketServer(adminSocketPath(config.dataDir), ops, logger, requestCap(settings))) : null,
    },
    InitialAdmins,
  ],
})
export class AdminModule {}
