// The community server as a Nest application: the composition root. One module per feature; each
// feature adds its routes to the one Router, which the dispatcher serves on the platform's edge
// (HttpModule), to onion requests (OnionModule) and to /batch and /sequence (BatchModule).
import { Global, Module, type DynamicModule, type Provider } from '@nestjs/common';
import { ready } from '@starling/crypto';
import { DATABASE, HealthChecks, migrate, SHARED_STATE, type Database, type SharedState } from '@starling/platform';
import { AdminModule } from './admin/admin.module';
import { AuthModule } from './auth/auth.module';
import { BatchModule } from './batch/batch.module';
import { nowSeconds } from './clock';
import type { OpenGroupsConfig } from './config';
import { DmsModule } from './dms/dms.module';
import { FilesModule } from './files/files.module';
import { HttpModule } from './http/http.module';
import { Router } from './http/router';
import { JobsModule } from './jobs/jobs.module';
import { serverKeyPair } from './keys/server-key';
import { MessagesModule } from './messages/messages.module';
import { ModerationModule } from './moderation/moderation.module';
import { OnionModule } from './onion/onion.module';
import { OpenGroupsMetrics } from './ops/metrics';
import { OpsModule } from './ops/ops.module';
import { PinsModule } from './pins/pins.module';
import { ReactionsModule } from './reactions/reactions.module';
import { RoomsModule } from './rooms/rooms.module';
import { CLOCK, MIGRATIONS_DIR, OPEN_GROUPS_CONFIG, SERVER_KEYS, serverSettings, SETTINGS, type ServerSettings } from './settings';
import { UsersModule } from './users/users.module';

/** What tests put in place of the real thing: a clock they move, storage they opened themselves. */
export interface OpenGroupsOverrides {
  /** Unix time in float seconds. */
  now?: () => number;
  /** An open database (migrated here); otherwise the platform opens it from the configuration. */
  database?: Database;
  /** Open shared state (nonces); otherwise the platform opens it. */
  sharedState?: SharedState;
}

/** What every feature uses: configuration, settings, clock, the server key, metrics and the one Router. */
@Global()
@Module({})
class OpenGroupsCoreModule {
  static register(config: OpenGroupsConfig, overrides: OpenGroupsOverrides): DynamicModule {
    const providers: Provider[] = [
      { provide: OPEN_GROUPS_CONFIG, useValue: config },
      { provide: SETTINGS, useValue: serverSettings(config) },
      { provide: CLOCK, useValue: overrides.now ?? nowSeconds },
      {
        provide: SERVER_KEYS,
        useFactory: async () => {
          await ready();
          return serverKeyPair({ secretHex: config.serverKeyHex, dataDir: config.dataDir });
        },
      },
      OpenGroupsMetrics,
      { provide: Router, inject: [SETTINGS], useFactory: (settings: ServerSettings) => new Router(settings.requireBlinding) },
      ...givenStorage(overrides),
    ];
    return { module: OpenGroupsCoreModule, providers, exports: providers.map((p) => ('provide' in p ? p.provide : p)) };
  }
}

/** Storage the caller opened (and closes): migrated and watched by readiness like the platform's own. */
function givenStorage({ database, sharedState }: OpenGroupsOverrides): Provider[] {
  const providers: Provider[] = [];
  if (database) {
    providers.push({
      provide: DATABASE,
      inject: [HealthChecks],
      useFactory: async (health: HealthChecks) => {
        await migrate(database, MIGRATIONS_DIR);
        health.addReadiness('database', () => database.query('SELECT 1'));
        return database;
      },
    });
  }
  if (sharedState) providers.push({ provide: SHARED_STATE, useValue: sharedState });
  return providers;
}

@Module({})
export class OpenGroupsModule {
  static forConfig(config: OpenGroupsConfig, overrides: OpenGroupsOverrides = {}): DynamicModule {
    return {
      module: OpenGroupsModule,
      imports: [
        OpenGroupsCoreModule.register(config, overrides),
        UsersModule,
        AuthModule,
        RoomsModule,
        MessagesModule,
        ReactionsModule,
        PinsModule,
        FilesModule,
        ModerationModule,
        DmsModule,
        BatchModule,
        HttpModule,
        OnionModule,
        JobsModule,
        OpsModule,
        AdminModule,
      ],
    };
  }
}
