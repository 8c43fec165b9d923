// Starts one registry replica: `startRegistry(config)` for main.ts, the tests and the local
// network launcher. The database (migrated by the platform) is shared by every replica.
import * as path from 'path';
import { ready } from '@starling/crypto';
import { DATABASE, edgeLimits, HealthChecks, lifecycleOptions, startService, type Database, type Logger } from '@starling/platform';
import { GrpcHost } from '@starling/proto';
import type { RegistryConfig } from './config';
import { MAX_SEED_BODY } from './http/seed-api';
import { REGISTRY_IDENTITY, type RegistryIdentity } from './identity/registry-identity';
import { LeaderRole } from './leader/leader-role';
import { MapFeed } from './map/map-feed';
import { RegistryModule } from './registry.module';

export const MIGRATIONS_DIR = path.join(__dirname, '..', 'migrations');

export interface RunningRegistry {
  httpPort: number;
  grpcPort: number;
  opsPort: number;
  identity: RegistryIdentity;
  feed: MapFeed;
  db: Database;
  health: HealthChecks;
  isLeader(): boolean;
  /** Graceful stop: readiness fails, leadership is released, calls drain, then everything closes. */
  close(): Promise<void>;
}

export async function startRegistry(config: RegistryConfig, logger?: Logger): Promise<RunningRegistry> {
  await ready();
  const service = await startService(
    {
      name: 'registry',
      logger,
      edge: { host: config.host, port: config.httpPort, maxBodyBytes: MAX_SEED_BODY, ...edgeLimits(config) },
      ...lifecycleOptions(config),
      database: {
        ...(config.databaseUrl ? { url: config.databaseUrl } : { dataDir: config.dataDir }),
        schema: config.databaseSchema,
        migrations: MIGRATIONS_DIR,
      },
    },
    RegistryModule.forConfig(config),
  );
  const { app, host } = service;
  const leader = app.get(LeaderRole, { strict: false });
  const running: RunningRegistry = {
    httpPort: host.edge!.port,
    grpcPort: app.get(GrpcHost, { strict: false }).port,
    opsPort: host.ops!.port,
    identity: app.get<RegistryIdentity>(REGISTRY_IDENTITY, { strict: false }),
    feed: app.get(MapFeed, { strict: false }),
    db: app.get<Database>(DATABASE, { strict: false }),
    health: host.health,
    isLeader: () => leader.isLeader,
    close: service.close,
  };
  host.logger.info(
    { httpPort: running.httpPort, grpcPort: running.grpcPort, opsPort: running.opsPort, registryPubkey: running.identity.publicKeyHex, database: running.db.kind },
    'registry started',
  );
  return running;
}
