// PUT/DELETE /room/:token/reaction/:id/:reaction, DELETE /room/:token/reactions/:id[/:reaction]
// (moderators), GET /room/:token/reactors/:id/:reaction (§1.6).
import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { DATABASE, jsonReply, type Database } from '@starling/platform';
import { BadInput } from '../domain/errors';
import { intParam } from '../http/params';
import { Router, type RouteContext, type RouteDef } from '../http/router';
import type { Room } from '../rooms/room';
import { RoomsModel } from '../rooms/rooms.model';
import { CLOCK, type Clock } from '../settings';
import { ReactionsModel } from './reactions.model';

const MAX_REACTION_CODEPOINTS = 12;

function checkReaction(reaction: string): string {
  const length = [...reaction].length;
  if (length < 1 || length > MAX_REACTION_CODEPOINTS) throw new BadInput('Invalid reaction: must be 1-12 characters');
  return reaction;
}

@Injectable()
export class ReactionRoutes implements OnModuleInit {
  constructor(
    private readonly router: Router,
    @Inject(DATABASE) private readonly db: Database,
    private readonly rooms: RoomsModel,
    private readonly reactions: ReactionsModel,
    @Inject(CLOCK) private readonly now: Clock,
  ) {}

  /** The room, when the caller may read it. */
  private async readableRoom({ user, params }: RouteContext): Promise<Room> {
    return (await this.rooms.getFor(this.db, params.token, user, 'read')).room;
  }

  onModuleInit(): void {
    const { db, reactions } = this;
    const clearRoute = (pattern: string): RouteDef => ({
      method: 'DELETE',
      pattern,
      auth: 'user',
      handler: async ({ user, params }) => {
        const reaction = params.reaction === undefined ? null : checkReaction(params.reaction);
        const { room } = await this.rooms.getFor(db, params.token, user, 'moderator');
        return jsonReply(200, await reactions.clear(db, room.id, Number(params.id), reaction));
      },
    });
    this.router.add(
      {
        method: 'PUT',
        pattern: '/room/<token:token>/reaction/<id:int>/<reaction:rest>',
        auth: 'user',
        handler: async (rc) => {
          const reaction = checkReaction(rc.params.reaction);
          const room = await this.readableRoom(rc);
          return jsonReply(200, await reactions.react(db, room.id, Number(rc.params.id), reaction, rc.user!.id, this.now()));
        },
      },
      {
        method: 'DELETE',
        pattern: '/room/<token:token>/reaction/<id:int>/<reaction:rest>',
        auth: 'user',
        handler: async (rc) => {
          const reaction = checkReaction(rc.params.reaction);
          const room = await this.readableRoom(rc);
          return jsonReply(200, await reactions.unreact(db, room.id, Number(rc.params.id), reaction, rc.user!.id));
        },
      },
      clearRoute('/room/<token:token>/reactions/<id:int>'),
      clearRoute('/room/<token:token>/reactions/<id:int>/<reaction:rest>'),
      {
        method: 'GET',
        pattern: '/room/<token:token>/reactors/<id:int>/<reaction:rest>',
        handler: async (rc) => {
          const reaction = checkReaction(rc.params.reaction);
          const room = await this.readableRoom(rc);
          const id = Number(rc.params.id);
          await reactions.checkReactable(db, room.id, id);
          const limit = intParam(rc.query, 'limit', 0, -1, Number.MAX_SAFE_INTEGER);
          return jsonReply(200, await reactions.reactors(db, id, reaction, limit));
        },
      },
    );
  }
}
