// Pinned messages (§1.7): admin only; every change moves the room's info_updates.
import type { AppContext } from '../context';
import { forbidden, notFound } from '../http/errors';
import type { RouteContext, RouteDef } from '../http/router';
import { jsonResponse } from '../http/types';
import { lockRoom } from '../messages/seqno';

export function pinRoutes(ctx: AppContext): RouteDef[] {
  const adminRoom = async ({ user, params }: RouteContext) => {
    const found = await ctx.rooms.get(ctx.db, params.token, user);
    if (!found.access.admin) throw forbidden('This endpoint requires admin room permissions');
    return found.room;
  };
  /** Pinned attachments stop expiring; unpinned ones get the normal lifetime from upload. */
  const unpinnedExpiry = ctx.settings.fileExpirySeconds > 0 ? `uploaded + ${ctx.settings.fileExpirySeconds}` : 'NULL';

  return [
    {
      method: 'POST',
      pattern: '/room/<token:token>/pin/<id:int>',
      auth: 'user',
      handler: async (rc) => {
        const room = await adminRoom(rc);
        const id = Number(rc.params.id);
        const infoUpdates = await ctx.db.transaction(async (tx) => {
          await lockRoom(tx, room.id);
          const msg = await tx.query(
            'SELECT 1 FROM messages WHERE id = $1 AND room = $2 AND data IS NOT NULL AND whisper IS NULL AND NOT whisper_mods',
            [id, room.id],
          );
          if (!msg.rowCount) throw notFound('No such message');
          await tx.query(
            `INSERT INTO pinned_messages (room, message, pinned_by, pinned_at) VALUES ($1, $2, $3, $4)
             ON CONFLICT (room, message) DO UPDATE SET pinned_by = EXCLUDED.pinned_by, pinned_at = EXCLUDED.pinned_at`,
            [room.id, id, rc.user!.id, ctx.now()],
          );
          await tx.query('UPDATE files SET expiry = NULL WHERE message = $1', [id]);
          return ctx.rooms.bumpInfoUpdates(tx, room.id);
        });
        return jsonResponse({ info_updates: infoUpdates });
      },
    },
    {
      method: 'POST',
      pattern: '/room/<token:token>/unpin/all',
      auth: 'user',
      handler: async (rc) => {
        const room = await adminRoom(rc);
        const result = await ctx.db.transaction(async (tx) => {
          await lockRoom(tx, room.id);
          const del = await tx.query<{ message: string }>('DELETE FROM pinned_messages WHERE room = $1 RETURNING message', [room.id]);
          const ids = del.rows.map((r) => Number(r.message));
          if (!ids.length) return { unpinned: 0, info_updates: room.infoUpdates };
          await tx.query(`UPDATE files SET expiry = ${unpinnedExpiry} WHERE message = ANY($1::bigint[])`, [ids]);
          return { unpinned: ids.length, info_updates: await ctx.rooms.bumpInfoUpdates(tx, room.id) };
        });
        return jsonResponse(result);
      },
    },
    {
      method: 'POST',
      pattern: '/room/<token:token>/unpin/<id:int>',
      auth: 'user',
      handler: async (rc) => {
        const room = await adminRoom(rc);
        const id = Number(rc.params.id);
        const result = await ctx.db.transaction(async (tx) => {
          await lockRoom(tx, room.id);
          const del = await tx.query('DELETE FROM pinned_messages WHERE room = $1 AND message = $2', [room.id, id]);
          if (!del.rowCount) return { unpinned: false, info_updates: room.infoUpdates };
          await tx.query(`UPDATE files SET expiry = ${unpinnedExpiry} WHERE message = $1`, [id]);
          return { unpinned: true, info_updates: await ctx.rooms.bumpInfoUpdates(tx, room.id) };
        });
        return jsonResponse(result);
      },
    },
  ];
}
