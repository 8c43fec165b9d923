// The HTTP layer: the dispatcher (authentication, routing, domain errors to status codes), mounted
// on the service's edge as its route table.
import { Module, type OnModuleInit } from '@nestjs/common';
import { Edge } from '@starling/platform';
import { AuthModule } from '../auth/auth.module';
import { RoomsModule } from '../rooms/rooms.module';
import { Dispatcher } from './dispatcher';

@Module({ imports: [AuthModule, RoomsModule], providers: [Dispatcher], exports: [Dispatcher] })
export class HttpModule implements OnModuleInit {
  constructor(
    private readonly edge: Edge,
    private readonly dispatcher: Dispatcher,
  ) {}

  onModuleInit(): void {
    this.edge.mount(this.dispatcher);
  }
}
