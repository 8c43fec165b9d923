import { Module } from '@nestjs/common';

/**
 * The Nest application hosts the Fastify server and its lifecycle. SOGS routes are not Nest
 * controllers: onion requests, /batch and /sequence must run the very same routes in process,
 * and Nest has no subrequest primitive, so one route table (http/router.ts) behind one
 * dispatcher serves every entry point and Fastify hands it raw requests.
 */
@Module({})
export class AppModule {}
