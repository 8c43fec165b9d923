// The signing key, read (or made, by the first replica) once the database is migrated.
import { Module } from '@nestjs/common';
import { DATABASE, type Database } from '@starling/platform';
import { loadRegistryIdentity, REGISTRY_IDENTITY } from './registry-identity';

@Module({
  providers: [{ provide: REGISTRY_IDENTITY, inject: [DATABASE], useFactory: (db: Database) => loadRegistryIdentity(db) }],
  exports: [REGISTRY_IDENTITY],
})
export class IdentityModule {}
