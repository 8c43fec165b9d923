// The network map this replica serves: published maps in the database (map-store), the feed that
// follows the newest one, and the metrics read from it.
import { Module } from '@nestjs/common';
import { RegistryMetrics } from '../metrics';
import { MapFeed } from './map-feed';

@Module({ providers: [MapFeed, RegistryMetrics], exports: [MapFeed, RegistryMetrics] })
export class MapModule {}
