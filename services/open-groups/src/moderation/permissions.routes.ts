// Per-user room permission overrides and scheduled ("future") changes (§1.9). Moderators only.
import type { Queryable } from '@starling/platform';
import type { AppContext } from '../context';
import { badRequest, forbidden } from '../http/errors';
import { jsonObject, optionalBool } from '../http/params';
import type { RouteContext, RouteDef } from '../http/router';
import { jsonResponse } from '../http/types';
import type { Room } from '../rooms/room';
import { pruneEmptyOverride } from './moderation.routes';

const PERMS = ['read', 'accessible', 'write', 'upload'] as const;
const FUTURE_PERMS = ['read', 'write', 'upload'] as const;
const MAX_FUTURE_SECONDS = 1e9;

interface OverrideRow {
  session_id: string;
  banned: boolean;
  read: boolean | null;
  accessible: boolean | null;
  write: boolean | null;
  upload: boolean | null;
  moderator: boolean;
  admin: boolean;
  visible_mod: boolean;
}

/** An override row as upstream shows it: only what differs from "nothing special". */
function overrideView(row: OverrideRow): Record<string, boolean> {
  const out: Record<string, boolean> = {};
  for (const p of PERMS) if (row[p] !== null) out[p] = row[p]!;
  if (row.banned) out.banned = true;
  if (row.admin) out.admin = true;
  else if (row.moderator) out.moderator = true;
  if (row.moderator && !row.visible_mod) out.hidden = true;
  return out;
}

const OVERRIDE_SELECT = `SELECT u.session_id, o.banned, o.read, o.accessible, o.write, o.upload, o.moderator, o.admin, o.visible_mod
  FROM user_permission_overrides o JOIN users u ON u.id = o."user"`;

export function permissionRoutes(ctx: AppContext): RouteDef[] {
  const modRoom = async ({ user, params }: RouteContext): Promise<Room> => {
    const found = await ctx.rooms.get(ctx.db, params.token, user);
    if (!found.access.moderator) throw forbidden('This endpoint requires moderator room permissions');
    return found.room;
  };

  const userOverride = async (q: Queryable, room: Room, userId: number) => {
    const res = await q.query<OverrideRow>(`${OVERRIDE_SELECT} WHERE o.room = $1 AND o."user" = $2`, [room.id, userId]);
    return res.rows[0] ? overrideView(res.rows[0]) : {};
  };

  const futures = async (q: Queryable, room: Room, userId: number | null) => {
    const res = await q.query<{ session_id: string; at: number; read: boolean | null; write: boolean | null; upload: boolean | null; banned: boolean | null }>(
      `SELECT u.session_id, f.at, f.read, f.write, f.upload, NULL::boolean AS banned
         FROM user_permission_futures f JOIN users u ON u.id = f."user" WHERE f.room = $1 AND ($2::bigint IS NULL OR f."user" = $2)
       UNION ALL
       SELECT u.session_id, b.at, NULL, NULL, NULL, b.banned
         FROM user_ban_futures b JOIN users u ON u.id = b."user" WHERE b.room = $1 AND ($2::bigint IS NULL OR b."user" = $2)
       ORDER BY at`,
      [room.id, userId],
    );
    return res.rows.map((r) => {
      const entry: Record<string, unknown> = userId === null ? { session_id: r.session_id, at: Number(r.at) } : { at: Number(r.at) };
      for (const k of ['read', 'write', 'upload', 'banned'] as const) if (r[k] !== null) entry[k] = r[k];
      return entry;
    });
  };

  return [
    {
      method: 'GET',
      pattern: '/room/<token:token>/permissions',
      auth: 'user',
      handler: async (rc) => {
        const room = await modRoom(rc);
        const res = await ctx.db.query<OverrideRow>(`${OVERRIDE_SELECT} WHERE o.room = $1 ORDER BY u.session_id`, [room.id]);
        return jsonResponse(Object.fromEntries(res.rows.map((r) => [r.session_id, overrideView(r)])));
      },
    },
    {
      method: 'GET',
      pattern: '/room/<token:token>/permissions/<sid:anysid>',
      auth: 'user',
      handler: async (rc) => {
        const room = await modRoom(rc);
        const target = await ctx.users.resolveTarget(ctx.db, rc.params.sid, ctx.now());
        return jsonResponse(await userOverride(ctx.db, room, target.id));
      },
    },
    {
      method: 'POST',
      pattern: '/room/<token:token>/permissions/<sid:anysid>',
      auth: 'user',
      handler: async (rc) => {
        const room = await modRoom(rc);
        const body = jsonObject(rc.req);
        const sets: Record<string, boolean | null> = {};
        for (const p of PERMS) {
          const value = optionalBool(body[p], p);
          const clear = optionalBool(body[`default_${p}`], `default_${p}`);
          if (value !== undefined && clear) throw badRequest(`Cannot both set ${p} and reset it to the default`);
          if (value !== undefined) sets[p] = value;
          else if (clear) sets[p] = null;
        }
        const unschedule = body.unschedule !== false;
        const view = await ctx.db.transaction(async (tx) => {
          const target = await ctx.users.resolveTarget(tx, rc.params.sid, ctx.now());
          const keys = Object.keys(sets);
          if (keys.length) {
            await tx.query(
              `INSERT INTO user_permission_overrides (room, "user", ${keys.join(', ')}) VALUES ($1, $2, ${keys.map((_, i) => `$${i + 3}`).join(', ')})
               ON CONFLICT (room, "user") DO UPDATE SET ${keys.map((k) => `${k} = EXCLUDED.${k}`).join(', ')}`,
              [room.id, target.id, ...keys.map((k) => sets[k])],
            );
            if (unschedule) {
              for (const p of keys.filter((k) => (FUTURE_PERMS as readonly string[]).includes(k))) {
                await tx.query(`UPDATE user_permission_futures SET ${p} = NULL WHERE room = $1 AND "user" = $2`, [room.id, target.id]);
              }
              await tx.query(
                'DELETE FROM user_permission_futures WHERE room = $1 AND "user" = $2 AND read IS NULL AND write IS NULL AND upload IS NULL',
                [room.id, target.id],
              );
            }
            await pruneEmptyOverride(tx, room.id, target.id);
          }
          return userOverride(tx, room, target.id);
        });
        return jsonResponse(view);
      },
    },
    {
      method: 'GET',
      pattern: '/room/<token:token>/futurePermissions',
      auth: 'user',
      handler: async (rc) => jsonResponse(await futures(ctx.db, await modRoom(rc), null)),
    },
    {
      method: 'GET',
      pattern: '/room/<token:token>/futurePermissions/<sid:anysid>',
      auth: 'user',
      handler: async (rc) => {
        const room = await modRoom(rc);
        const target = await ctx.users.resolveTarget(ctx.db, rc.params.sid, ctx.now());
        return jsonResponse(await futures(ctx.db, room, target.id));
      },
    },
    {
      method: 'POST',
      pattern: '/room/<token:token>/futurePermissions/<sid:anysid>',
      auth: 'user',
      handler: async (rc) => {
        const room = await modRoom(rc);
        const body = jsonObject(rc.req);
        const values = FUTURE_PERMS.map((p) => optionalBool(body[p], p) ?? null);
        if (values.every((v) => v === null)) throw badRequest('At least one of read, write, upload is required');
        const delay = body.in;
        if (typeof delay !== 'number' || !(delay > 0 && delay < MAX_FUTURE_SECONDS)) throw badRequest('"in" must be a number of seconds between 0 and 1e9');
        const list = await ctx.db.transaction(async (tx) => {
          const target = await ctx.users.resolveTarget(tx, rc.params.sid, ctx.now());
          await tx.query(
            'INSERT INTO user_permission_futures (room, "user", at, read, write, upload) VALUES ($1, $2, $3, $4, $5, $6)',
            [room.id, target.id, ctx.now() + delay, ...values],
          );
          return futures(tx, room, target.id);
        });
        return jsonResponse(list);
      },
    },
  ];
}
