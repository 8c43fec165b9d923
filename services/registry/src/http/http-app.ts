// The registry's HTTP side: NestJS on Fastify with the seed controller, plus the platform's
// /healthz, /readyz and /metrics routes and RED metrics.
import 'reflect-metadata';
import { Module, type DynamicModule } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { instrumentFastify, mountOpsRoutes, type HealthChecks, type ServiceMetrics } from '@starling/platform';
import type { MapFeed } from '../map/map-feed';
import { MAP_FEED, SeedController } from './seed.controller';

/** Seed requests are a few hundred bytes; anything far larger is not one. */
const BODY_LIMIT = 64 * 1024;

@Module({})
class SeedModule {
  static with(feed: MapFeed): DynamicModule {
    return { module: SeedModule, controllers: [SeedController], providers: [{ provide: MAP_FEED, useValue: feed }] };
  }
}

export interface HttpAppDeps {
  feed: MapFeed;
  health: HealthChecks;
  metrics: ServiceMetrics;
}

export async function createHttpApp(deps: HttpAppDeps): Promise<NestFastifyApplication> {
  const app = await NestFactory.create<NestFastifyApplication>(SeedModule.with(deps.feed), new FastifyAdapter({ bodyLimit: BODY_LIMIT }), {
    bodyParser: false,
    logger: false,
  });
  const fastify = app.getHttpAdapter().getInstance();
  // Raw text for every content type: the controller parses JSON itself to answer JSON-RPC errors.
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser('*', { parseAs: 'string' }, (_req, body, done) => done(null, body));
  instrumentFastify(fastify, deps.metrics);
  mountOpsRoutes(fastify, { health: deps.health, metrics: deps.metrics });
  return app;
}
