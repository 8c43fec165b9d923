// /rooms, /room/:token (GET, PUT) and pollInfo.
import type { AppContext } from '../context';
import { badRequest, forbidden, HttpError } from '../http/errors';
import { jsonObject } from '../http/params';
import type { RouteDef } from '../http/router';
import { jsonResponse } from '../http/types';

// Control characters are stripped from names; descriptions keep tab and newline.
const stripName = (s: string) => s.replace(/[\u0000-\u001f]/g, '');
const stripDescription = (s: string) => s.replace(/[\u0000-\u0008\u000b-\u001f]/g, '');

export function roomRoutes(ctx: AppContext): RouteDef[] {
  return [
    {
      method: 'GET',
      pattern: '/rooms',
      handler: async ({ user }) => {
        const rooms = await ctx.rooms.listAccessible(ctx.db, user);
        const out = [];
        for (const r of rooms) out.push(await ctx.rooms.roomObject(ctx.db, r));
        return jsonResponse(out);
      },
    },
    {
      method: 'GET',
      pattern: '/room/<token:token>',
      readsRoom: true,
      handler: async ({ user, params, prefetchedRoom }) => jsonResponse(await ctx.rooms.roomObject(ctx.db, await ctx.rooms.get(ctx.db, params.token, user, prefetchedRoom))),
    },
    {
      method: 'PUT',
      pattern: '/room/<token:token>',
      auth: 'user',
      handler: async ({ user, params, req }) => {
        const found = await ctx.rooms.get(ctx.db, params.token, user);
        if (!found.access.admin) throw forbidden('This endpoint requires admin room permissions');
        const body = jsonObject(req);
        const sets: string[] = [];
        const values: unknown[] = [];
        const set = (column: string, value: unknown) => {
          values.push(value);
          sets.push(`${column} = $${values.length + 1}`);
        };
        let infoChanged = false;
        if ('name' in body) {
          if (typeof body.name !== 'string') throw badRequest('name must be a string');
          set('name', stripName(body.name));
          infoChanged = true;
        }
        if ('description' in body) {
          const d = body.description;
          if (d !== null && typeof d !== 'string') throw badRequest('description must be a string or null');
          const clean = d === null ? null : stripDescription(d);
          set('description', clean === '' ? null : clean);
          infoChanged = true;
        }
        for (const perm of ['read', 'accessible', 'write', 'upload'] as const) {
          const v = body[`default_${perm}`];
          if (v === undefined || v === null) continue;
          if (typeof v !== 'boolean' && !(typeof v === 'number' && Number.isInteger(v))) throw badRequest(`default_${perm} must be a boolean`);
          set(perm, !!v);
        }
        let image: number | undefined;
        if ('image' in body) {
          if (typeof body.image !== 'number' || !Number.isSafeInteger(body.image)) throw badRequest('image must be a file id');
          image = body.image;
          infoChanged = true;
        }
        if (!sets.length && image === undefined) throw badRequest('Room update: nothing to update');
        const now = ctx.now();
        const infoUpdates = await ctx.db.transaction(async (tx) => {
          if (image !== undefined) {
            const file = await tx.query('SELECT 1 FROM files WHERE id = $1 AND room = $2 AND (expiry IS NULL OR expiry > $3)', [image, found.room.id, now]);
            if (!file.rowCount) throw new HttpError(406, 'Image file must be uploaded to this room');
            // The old image goes away; the new one never expires.
            await tx.query('UPDATE files SET expiry = $2 WHERE id = (SELECT image FROM rooms WHERE id = $1) AND id <> $3', [found.room.id, now, image]);
            await tx.query('UPDATE files SET expiry = NULL WHERE id = $1', [image]);
            set('image', image);
          }
          if (sets.length) await tx.query(`UPDATE rooms SET ${sets.join(', ')} WHERE id = $1`, [found.room.id, ...values]);
          return infoChanged ? ctx.rooms.bumpInfoUpdates(tx, found.room.id) : found.room.infoUpdates;
        });
        return jsonResponse({ info_updates: infoUpdates });
      },
    },
    {
      method: 'GET',
      pattern: '/room/<token:token>/pollInfo/<info_updates:int>',
      readsRoom: true,
      handler: async ({ user, params, prefetchedRoom }) => {
        const found = await ctx.rooms.get(ctx.db, params.token, user, prefetchedRoom);
        if (!found.access.read) throw forbidden('You do not have permission to read this room');
        await ctx.rooms.recordActivity(ctx.db, found.room.id, user, ctx.now());
        const { room, access } = found;
        const out: Record<string, unknown> = {
          token: room.token,
          active_users: room.activeUsers,
          read: access.read,
          write: access.write,
          upload: access.upload,
          ...ctx.rooms.roleFlags(room, access),
        };
        if (room.infoUpdates !== Number(params.info_updates)) out.details = await ctx.rooms.roomObject(ctx.db, found);
        return jsonResponse(out);
      },
    },
  ];
}
