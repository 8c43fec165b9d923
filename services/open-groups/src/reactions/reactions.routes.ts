// Emoji reactions (§1.6): add/remove own, moderator clear, reactor lists. Each change gives the
// message a new seqno so that pollers with t=r see it.
import type { Queryable } from '@starling/platform';
import type { AppContext } from '../context';
import { badRequest, forbidden, notFound } from '../http/errors';
import { intParam } from '../http/params';
import type { RouteDef } from '../http/router';
import { jsonResponse } from '../http/types';
import { lockRoom, nextSeqno } from '../messages/seqno';

const MAX_REACTION_CODEPOINTS = 12;

function checkReaction(reaction: string): string {
  const length = [...reaction].length;
  if (length < 1 || length > MAX_REACTION_CODEPOINTS) throw badRequest('Invalid reaction: must be 1-12 characters');
  return reaction;
}

/** The message's current seqno if it can carry reactions: live, not a whisper, not filtered. */
async function reactableSeqno(q: Queryable, roomId: number, messageId: number): Promise<number> {
  const res = await q.query<{ seqno: string }>(
    `SELECT seqno FROM messages WHERE id = $1 AND room = $2 AND data IS NOT NULL
        AND whisper IS NULL AND NOT whisper_mods AND NOT filtered`,
    [messageId, roomId],
  );
  if (!res.rows[0]) throw notFound('No such message');
  return Number(res.rows[0].seqno);
}

async function bumpReactionSeqno(q: Queryable, roomId: number, messageId: number): Promise<number> {
  const seqno = await nextSeqno(q, roomId);
  await q.query('UPDATE messages SET seqno_reactions = $2, seqno = $2 WHERE id = $1', [messageId, seqno]);
  return seqno;
}

export function reactionRoutes(ctx: AppContext): RouteDef[] {
  return [
    {
      method: 'PUT',
      pattern: '/room/<token:token>/reaction/<id:int>/<reaction:rest>',
      auth: 'user',
      handler: async ({ user, params }) => {
        const reaction = checkReaction(params.reaction);
        const { room, access } = await ctx.rooms.get(ctx.db, params.token, user);
        if (!access.read) throw forbidden('You do not have permission to read this room');
        const id = Number(params.id);
        const result = await ctx.db.transaction(async (tx) => {
          await lockRoom(tx, room.id);
          let seqno = await reactableSeqno(tx, room.id, id);
          await tx.query('INSERT INTO reactions (message, reaction) VALUES ($1, $2) ON CONFLICT (message, reaction) DO NOTHING', [id, reaction]);
          const ins = await tx.query(
            `INSERT INTO user_reactions (reaction, "user", at)
             SELECT id, $3, $4 FROM reactions WHERE message = $1 AND reaction = $2
             ON CONFLICT (reaction, "user") DO NOTHING`,
            [id, reaction, user!.id, ctx.now()],
          );
          const added = ins.rowCount > 0;
          if (added) seqno = await bumpReactionSeqno(tx, room.id, id);
          return { added, seqno };
        });
        return jsonResponse(result);
      },
    },
    {
      method: 'DELETE',
      pattern: '/room/<token:token>/reaction/<id:int>/<reaction:rest>',
      auth: 'user',
      handler: async ({ user, params }) => {
        const reaction = checkReaction(params.reaction);
        const { room, access } = await ctx.rooms.get(ctx.db, params.token, user);
        if (!access.read) throw forbidden('You do not have permission to read this room');
        const id = Number(params.id);
        const result = await ctx.db.transaction(async (tx) => {
          await lockRoom(tx, room.id);
          let seqno = await reactableSeqno(tx, room.id, id);
          const del = await tx.query(
            `DELETE FROM user_reactions WHERE "user" = $3 AND reaction = (SELECT id FROM reactions WHERE message = $1 AND reaction = $2)`,
            [id, reaction, user!.id],
          );
          const removed = del.rowCount > 0;
          if (removed) {
            await dropEmptyReactions(tx, id);
            seqno = await bumpReactionSeqno(tx, room.id, id);
          }
          return { removed, seqno };
        });
        return jsonResponse(result);
      },
    },
    ...['/room/<token:token>/reactions/<id:int>', '/room/<token:token>/reactions/<id:int>/<reaction:rest>'].map(
      (pattern): RouteDef => ({
        method: 'DELETE',
        pattern,
        auth: 'user',
        handler: async ({ user, params }) => {
          const reaction = params.reaction === undefined ? null : checkReaction(params.reaction);
          const { room, access } = await ctx.rooms.get(ctx.db, params.token, user);
          if (!access.moderator) throw forbidden('This endpoint requires moderator room permissions');
          const id = Number(params.id);
          const result = await ctx.db.transaction(async (tx) => {
            await lockRoom(tx, room.id);
            let seqno = await reactableSeqno(tx, room.id, id);
            const del = await tx.query(
              `DELETE FROM user_reactions WHERE reaction IN
                 (SELECT id FROM reactions WHERE message = $1 AND ($2::text IS NULL OR reaction = $2))`,
              [id, reaction],
            );
            if (del.rowCount > 0) {
              await dropEmptyReactions(tx, id);
              seqno = await bumpReactionSeqno(tx, room.id, id);
            }
            return { removed: del.rowCount, seqno };
          });
          return jsonResponse(result);
        },
      }),
    ),
    {
      method: 'GET',
      pattern: '/room/<token:token>/reactors/<id:int>/<reaction:rest>',
      handler: async ({ user, params, query }) => {
        const reaction = checkReaction(params.reaction);
        const { room, access } = await ctx.rooms.get(ctx.db, params.token, user);
        if (!access.read) throw forbidden('You do not have permission to read this room');
        const id = Number(params.id);
        await reactableSeqno(ctx.db, room.id, id);
        const limit = intParam(query, 'limit', 0, -1, Number.MAX_SAFE_INTEGER);
        const res = await ctx.db.query<{ session_id: string; at: number }>(
          `SELECT u.session_id, ur.at FROM user_reactions ur
             JOIN reactions r ON r.id = ur.reaction JOIN users u ON u.id = ur."user"
            WHERE r.message = $1 AND r.reaction = $2 ORDER BY ur.at, ur."user"
            ${limit > 0 ? 'LIMIT $3' : ''}`,
          limit > 0 ? [id, reaction, limit] : [id, reaction],
        );
        return jsonResponse(res.rows.map((r) => [r.session_id, Number(r.at)]));
      },
    },
  ];
}

/** An emoji nobody uses any more leaves the message (and its index slot). */
async function dropEmptyReactions(q: Queryable, messageId: number): Promise<void> {
  await q.query(
    'DELETE FROM reactions r WHERE r.message = $1 AND NOT EXISTS (SELECT 1 FROM user_reactions ur WHERE ur.reaction = r.id)',
    [messageId],
  );
}
