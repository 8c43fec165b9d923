// The registry's public HTTP surface: the seed API on the edge, nothing else.
import { Injectable, Module } from '@nestjs/common';
import { Edge } from '@starling/platform';
import { MapFeed } from '../map/map-feed';
import { MapModule } from '../map/map.module';
import { seedRoute } from './seed-api';

@Injectable()
class SeedRoute {
  constructor(edge: Edge, feed: MapFeed) {
    edge.route(seedRoute(() => feed.current));
  }
}

@Module({ imports: [MapModule], providers: [SeedRoute] })
export class SeedModule {}
