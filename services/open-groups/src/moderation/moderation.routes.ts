// POST /user/:sid/moderator, /ban, /unban (§1.10), room-level or global.
import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { DATABASE, jsonReply, type Database } from '@starling/platform';
import { BadInput, Forbidden } from '../domain/errors';
import { jsonObject, optionalBool } from '../http/params';
import { Router } from '../http/router';
import { RoomsModel } from '../rooms/rooms.model';
import { CLOCK, type Clock } from '../settings';
import { UsersModel } from '../users/users.model';
import { ModerationModel, type RoleChange } from './moderation.model';
import { resolveScope, scopeRooms } from './targets';

/** The role change a /moderator body asks for. */
export function roleChange(body: Record<string, unknown>): RoleChange {
  const mod = optionalBool(body.moderator, 'moderator');
  const admin = optionalBool(body.admin, 'admin');
  if (mod === undefined && admin === undefined) throw new BadInput('One of "moderator" or "admin" is required');
  if (admin === true && mod === false) throw new BadInput('Cannot make an admin who is not a moderator');
  if (admin === true) return { moderator: true, admin: true };
  if (mod === false) return { moderator: false, admin: false };
  if (mod === true) return { moderator: true, admin: admin === false ? false : null };
  return { moderator: true, admin: false }; // admin=false alone: demote to moderator (admins only)
}

@Injectable()
export class ModerationRoutes implements OnModuleInit {
  constructor(
    private readonly router: Router,
    @Inject(DATABASE) private readonly db: Database,
    private readonly rooms: RoomsModel,
    private readonly users: UsersModel,
    private readonly moderation: ModerationModel,
    @Inject(CLOCK) private readonly now: Clock,
  ) {}

  onModuleInit(): void {
    const { db, rooms, users, moderation } = this;
    this.router.add(
      {
        method: 'POST',
        pattern: '/user/<sid:anysid>/moderator',
        auth: 'user',
        handler: async ({ user, params, req }) => {
          const body = jsonObject(req);
          const change = roleChange(body);
          const demoteOnly = body.moderator === undefined || body.moderator === null ? change.admin === false : false;
          const scope = await resolveScope(rooms, db, body, user!, 'admin');
          const visibleIn = optionalBool(body.visible, 'visible');
          const infoUpdates = await db.transaction(async (tx) => {
            const target = await users.resolveTarget(tx, params.sid, this.now());
            // Global moderators are hidden unless asked; room moderators are shown.
            return moderation.changeRole(tx, target.id, scopeRooms(scope), change, { visible: visibleIn ?? !scope.global, demoteOnly });
          });
          return jsonReply(200, { info_updates: infoUpdates });
        },
      },
      {
        method: 'POST',
        pattern: '/user/<sid:anysid>/ban',
        auth: 'user',
        handler: async ({ user, params, req }) => {
          const body = jsonObject(req);
          const timeout = body.timeout;
          if (timeout !== undefined && timeout !== null && (typeof timeout !== 'number' || !(timeout > 0))) {
            throw new BadInput('timeout must be a positive number of seconds');
          }
          const scope = await resolveScope(rooms, db, body, user!, 'moderator');
          const now = this.now();
          const unbanAt = typeof timeout === 'number' ? now + timeout : null;
          await db.transaction(async (tx) => {
            const target = await users.resolveTarget(tx, params.sid, now);
            if (target.id === user!.id) throw new Forbidden('You cannot ban yourself');
            if (target.moderator) throw new Forbidden('Global moderators cannot be banned');
            if (scope.global) return moderation.banGlobally(tx, target.id, unbanAt);
            for (const { room, access } of scope.rooms) {
              const targetRoom = await rooms.find(tx, room.token, target);
              if (targetRoom?.access.moderator && !access.admin) throw new Forbidden('Banning a moderator requires admin permissions');
              await moderation.banInRoom(tx, room.id, target.id, unbanAt);
            }
          });
          return jsonReply(200, {});
        },
      },
      {
        method: 'POST',
        pattern: '/user/<sid:anysid>/unban',
        auth: 'user',
        handler: async ({ user, params, req }) => {
          const scope = await resolveScope(rooms, db, jsonObject(req), user!, 'moderator');
          await db.transaction(async (tx) => {
            const target = await users.resolveTarget(tx, params.sid, this.now());
            await moderation.unban(tx, target.id, scopeRooms(scope));
          });
          return jsonReply(200, {});
        },
      },
    );
  }
}
