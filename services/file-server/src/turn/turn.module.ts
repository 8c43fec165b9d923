// TURN credentials for calls: GET /turn/credentials when TURN is configured.
import { Module } from '@nestjs/common';
import { TurnRoutes } from '../http/turn-routes';

@Module({ providers: [TurnRoutes] })
export class TurnModule {}
