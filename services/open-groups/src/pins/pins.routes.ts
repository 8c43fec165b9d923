// POST /room/:token/pin/:id, /unpin/:id, /unpin/all (§1.7): room admins only.
import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { DATABASE, jsonReply, type Database } from '@starling/platform';
import { Router, type RouteContext } from '../http/router';
import type { Room } from '../rooms/room';
import { RoomsModel } from '../rooms/rooms.model';
import { CLOCK, type Clock } from '../settings';
import { PinsModel } from './pins.model';

@Injectable()
export class PinRoutes implements OnModuleInit {
  constructor(
    private readonly router: Router,
    @Inject(DATABASE) private readonly db: Database,
    private readonly rooms: RoomsModel,
    private readonly pins: PinsModel,
    @Inject(CLOCK) private readonly now: Clock,
  ) {}

  private async adminRoom({ user, params }: RouteContext): Promise<Room> {
    return (await this.rooms.getFor(this.db, params.token, user, 'admin')).room;
  }

  onModuleInit(): void {
    const { db, pins } = this;
    this.router.add(
      {
        method: 'POST',
        pattern: '/room/<token:token>/pin/<id:int>',
        auth: 'user',
        handler: async (rc) => {
          const room = await this.adminRoom(rc);
          return jsonReply(200, { info_updates: await pins.pin(db, room, Number(rc.params.id), rc.user!.id, this.now()) });
        },
      },
      {
        method: 'POST',
        pattern: '/room/<token:token>/unpin/all',
        auth: 'user',
        handler: async (rc) => jsonReply(200, await pins.unpinAll(db, await this.adminRoom(rc))),
      },
      {
        method: 'POST',
        pattern: '/room/<token:token>/unpin/<id:int>',
        auth: 'user',
        handler: async (rc) => {
          const room = await this.adminRoom(rc);
          return jsonReply(200, await pins.unpin(db, room, Number(rc.params.id)));
        },
      },
    );
  }
}
