import { Module } from '@nestjs/common';
import { UsersModule } from '../users/users.module';
import { DmRoutes } from './dms.routes';
import { DmsModel } from './dms.model';

@Module({ imports: [UsersModule], providers: [DmsModel, DmRoutes], exports: [DmsModel] })
export class DmsModule {}
