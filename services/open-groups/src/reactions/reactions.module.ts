import { Module } from '@nestjs/common';
import { RoomsModule } from '../rooms/rooms.module';
import { ReactionRoutes } from './reactions.routes';
import { ReactionsModel } from './reactions.model';

@Module({ imports: [RoomsModule], providers: [ReactionsModel, ReactionRoutes] })
export class ReactionsModule {}
