// Nodes announcing themselves and sending heartbeats (any replica accepts them).
import { Module } from '@nestjs/common';
import { LeaderModule } from '../leader/leader.module';
import { MapModule } from '../map/map.module';
import { Announcements } from './announcements';

@Module({ imports: [MapModule, LeaderModule], providers: [Announcements], exports: [Announcements] })
export class NodesModule {}
