// POST /user/:sid/moderator, /ban, /unban (§1.10), room-level or global.
import type { Queryable } from '@starling/platform';
import type { AppContext } from '../context';
import { badRequest, forbidden } from '../http/errors';
import { jsonObject, optionalBool } from '../http/params';
import type { RouteDef } from '../http/router';
import { jsonResponse } from '../http/types';
import type { User } from '../users/user';
import { resolveScope } from './targets';

/** The role change a /moderator body asks for; null fields mean "leave as is". */
interface RoleChange {
  moderator: boolean;
  admin: boolean | null; // null: keep the current admin flag
}

function roleChange(body: Record<string, unknown>): RoleChange {
  const mod = optionalBool(body.moderator, 'moderator');
  const admin = optionalBool(body.admin, 'admin');
  if (mod === undefined && admin === undefined) throw badRequest('One of "moderator" or "admin" is required');
  if (admin === true && mod === false) throw badRequest('Cannot make an admin who is not a moderator');
  if (admin === true) return { moderator: true, admin: true };
  if (mod === false) return { moderator: false, admin: false };
  if (mod === true) return { moderator: true, admin: admin === false ? false : null };
  return { moderator: true, admin: false }; // admin=false alone: demote to moderator (admins only)
}

export async function setRoomRole(q: Queryable, roomId: number, userId: number, change: RoleChange, visible: boolean, demoteOnly: boolean): Promise<void> {
  if (demoteOnly) {
    await q.query('UPDATE user_permission_overrides SET admin = FALSE WHERE room = $1 AND "user" = $2 AND admin', [roomId, userId]);
    return;
  }
  await q.query(
    `INSERT INTO user_permission_overrides (room, "user", moderator, admin, visible_mod) VALUES ($1, $2, $3, COALESCE($4, FALSE), $5)
     ON CONFLICT (room, "user") DO UPDATE SET moderator = EXCLUDED.moderator,
       admin = COALESCE($4, user_permission_overrides.admin AND EXCLUDED.moderator), visible_mod = EXCLUDED.visible_mod`,
    [roomId, userId, change.moderator, change.admin, visible],
  );
}

export async function setGlobalRole(q: Queryable, userId: number, change: RoleChange, visible: boolean, demoteOnly: boolean): Promise<void> {
  if (demoteOnly) {
    await q.query('UPDATE users SET admin = FALSE WHERE id = $1', [userId]);
    return;
  }
  await q.query(
    'UPDATE users SET moderator = $2, admin = COALESCE($3, admin AND $2), visible_mod = $4 WHERE id = $1',
    [userId, change.moderator, change.admin, visible],
  );
}

export function moderationRoutes(ctx: AppContext): RouteDef[] {
  return [
    {
      method: 'POST',
      pattern: '/user/<sid:anysid>/moderator',
      auth: 'user',
      handler: async ({ user, params, req }) => {
        const body = jsonObject(req);
        const change = roleChange(body);
        const demoteOnly = body.moderator === undefined || body.moderator === null ? change.admin === false : false;
        const scope = await resolveScope(ctx, body, user!, 'admin');
        const visibleIn = optionalBool(body.visible, 'visible');
        const result = await ctx.db.transaction(async (tx) => {
          const target = await ctx.users.resolveTarget(tx, params.sid, ctx.now());
          if (scope.global) {
            await setGlobalRole(tx, target.id, change, visibleIn ?? false, demoteOnly);
            return ctx.rooms.bumpAllInfoUpdates(tx);
          }
          const out: Record<string, number> = {};
          for (const { room } of scope.rooms) {
            await setRoomRole(tx, room.id, target.id, change, visibleIn ?? true, demoteOnly);
            out[room.token] = await ctx.rooms.bumpInfoUpdates(tx, room.id);
          }
          return out;
        });
        return jsonResponse({ info_updates: result });
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
          throw badRequest('timeout must be a positive number of seconds');
        }
        const scope = await resolveScope(ctx, body, user!, 'moderator');
        const now = ctx.now();
        await ctx.db.transaction(async (tx) => {
          const target = await ctx.users.resolveTarget(tx, params.sid, now);
          if (target.id === user!.id) throw forbidden('You cannot ban yourself');
          if (target.moderator) throw forbidden('Global moderators cannot be banned');
          const unbanAt = typeof timeout === 'number' ? now + timeout : null;
          if (scope.global) {
            await tx.query('UPDATE users SET banned = TRUE WHERE id = $1', [target.id]);
            await scheduleUnban(tx, null, target, unbanAt);
            return;
          }
          for (const { room, access } of scope.rooms) {
            const targetRoom = await ctx.rooms.find(tx, room.token, target);
            if (targetRoom?.access.moderator && !access.admin) throw forbidden('Banning a moderator requires admin permissions');
            await tx.query(
              `INSERT INTO user_permission_overrides (room, "user", banned, moderator, admin) VALUES ($1, $2, TRUE, FALSE, FALSE)
               ON CONFLICT (room, "user") DO UPDATE SET banned = TRUE, moderator = FALSE, admin = FALSE`,
              [room.id, target.id],
            );
            await ctx.rooms.forgetActivity(tx, room.id, target.id);
            await scheduleUnban(tx, room.id, target, unbanAt);
          }
        });
        return jsonResponse({});
      },
    },
    {
      method: 'POST',
      pattern: '/user/<sid:anysid>/unban',
      auth: 'user',
      handler: async ({ user, params, req }) => {
        const body = jsonObject(req);
        const scope = await resolveScope(ctx, body, user!, 'moderator');
        await ctx.db.transaction(async (tx) => {
          const target = await ctx.users.resolveTarget(tx, params.sid, ctx.now());
          if (scope.global) {
            await tx.query('UPDATE users SET banned = FALSE WHERE id = $1', [target.id]);
            await tx.query('DELETE FROM user_ban_futures WHERE room IS NULL AND "user" = $1', [target.id]);
            return;
          }
          for (const { room } of scope.rooms) {
            await tx.query('UPDATE user_permission_overrides SET banned = FALSE WHERE room = $1 AND "user" = $2', [room.id, target.id]);
            await tx.query('DELETE FROM user_ban_futures WHERE room = $1 AND "user" = $2', [room.id, target.id]);
            await pruneEmptyOverride(tx, room.id, target.id);
          }
        });
        return jsonResponse({});
      },
    },
  ];
}

/** A new ban replaces any scheduled unban; a timed one schedules its own. */
async function scheduleUnban(q: Queryable, roomId: number | null, target: User, at: number | null): Promise<void> {
  await q.query('DELETE FROM user_ban_futures WHERE room IS NOT DISTINCT FROM $1 AND "user" = $2', [roomId, target.id]);
  if (at !== null) {
    await q.query('INSERT INTO user_ban_futures (room, "user", at, banned) VALUES ($1, $2, $3, FALSE)', [roomId, target.id, at]);
  }
}

/** Override rows that no longer change anything are removed. */
export async function pruneEmptyOverride(q: Queryable, roomId: number, userId: number): Promise<void> {
  await q.query(
    `DELETE FROM user_permission_overrides WHERE room = $1 AND "user" = $2 AND NOT banned AND NOT moderator
       AND read IS NULL AND accessible IS NULL AND write IS NULL AND upload IS NULL`,
    [roomId, userId],
  );
}
