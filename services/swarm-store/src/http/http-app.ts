// The HTTP server: NestJS on Fastify. Bodies are taken as raw text whatever their content type
// (Nest's JSON parser is off), so the storage RPC decides how to answer bad JSON; ops routes
// (/metrics, /healthz, /readyz) and RED metrics come from the platform.
import 'reflect-metadata';
import { Catch, Module, NotFoundException, type ArgumentsHost, type DynamicModule, type ExceptionFilter } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { instrumentFastify, mountOpsRoutes, type HealthChecks } from '@starling/platform';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { MAX_REQUEST_BODY_BYTES } from '../rpc/limits';
import type { StorageCore } from '../storage-core';
import type { ClientRateLimit } from './client-rate-limit';
import { RATE_LIMIT, STORAGE_CORE, StorageRpcController } from './storage-rpc.controller';

/** Unknown paths: plain-text 404 "<METHOD> <path> Not Found" as upstream. */
@Catch(NotFoundException)
class NotFoundAsText implements ExceptionFilter {
  catch(_err: NotFoundException, host: ArgumentsHost): void {
    const req = host.switchToHttp().getRequest<FastifyRequest>();
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    void reply.code(404).header('content-type', 'text/plain; charset=utf-8').send(`${req.method} ${req.url.split('?')[0]!.slice(0, 200)} Not Found`);
  }
}

@Module({})
class HttpModule {
  static with(core: StorageCore, rateLimit: ClientRateLimit): DynamicModule {
    return {
      module: HttpModule,
      controllers: [StorageRpcController],
      providers: [
        { provide: STORAGE_CORE, useValue: core },
        { provide: RATE_LIMIT, useValue: rateLimit },
      ],
    };
  }
}

export async function createHttpApp(core: StorageCore, rateLimit: ClientRateLimit, health: HealthChecks): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({ bodyLimit: MAX_REQUEST_BODY_BYTES, logger: false });
  const app = await NestFactory.create<NestFastifyApplication>(HttpModule.with(core, rateLimit), adapter, { bodyParser: false, logger: false });
  const fastify = app.getHttpAdapter().getInstance() as unknown as FastifyInstance;
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser('*', { parseAs: 'string', bodyLimit: MAX_REQUEST_BODY_BYTES }, (_req, body, done) => done(null, body));
  app.useGlobalFilters(new NotFoundAsText());
  mountOpsRoutes(fastify, { health, metrics: core.metrics.registry });
  instrumentFastify(fastify, core.metrics.registry);
  await app.init();
  return app;
}
