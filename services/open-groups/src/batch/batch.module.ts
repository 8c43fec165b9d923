import { Module } from '@nestjs/common';
import { BatchRoutes } from './batch.routes';

@Module({ providers: [BatchRoutes] })
export class BatchModule {}
