// Emoji reactions (§1.6): add and remove one's own, a moderator's clear, reactor lists. Each
// change gives the message a new seqno so that pollers with t=r see it.
import type { Database, Queryable } from '@starling/platform';
import { NotFound } from '../domain/errors';
import { lockRoom, nextSeqno } from '../messages/seqno';

export class ReactionsModel {
  /** Adds the user's reaction; `added` is false when it was there already. */
  react(db: Database, roomId: number, messageId: number, reaction: string, userId: number, now: number): Promise<{ added: boolean; seqno: number }> {
    return db.transaction(async (tx) => {
      await lockRoom(tx, roomId);
      let seqno = await this.reactableSeqno(tx, roomId, messageId);
      await tx.query('INSERT INTO reactions (message, reaction) VALUES ($1, $2) ON CONFLICT (message, reaction) DO NOTHING', [messageId, reaction]);
      const ins = await tx.query(
        `INSERT INTO user_reactions (reaction, "user", at)
         SELECT id, $3, $4 FROM reactions WHERE message = $1 AND reaction = $2
         ON CONFLICT (reaction, "user") DO NOTHING`,
        [messageId, reaction, userId, now],
      );
      const added = ins.rowCount > 0;
      if (added) seqno = await this.bumpSeqno(tx, roomId, messageId);
      return { added, seqno };
    });
  }

  /** Removes the user's reaction; `removed` is false when there was none. */
  unreact(db: Database, roomId: number, messageId: number, reaction: string, userId: number): Promise<{ removed: boolean; seqno: number }> {
    return db.transaction(async (tx) => {
      await lockRoom(tx, roomId);
      let seqno = await this.reactableSeqno(tx, roomId, messageId);
      const del = await tx.query(
        `DELETE FROM user_reactions WHERE "user" = $3 AND reaction = (SELECT id FROM reactions WHERE message = $1 AND reaction = $2)`,
        [messageId, reaction, userId],
      );
      const removed = del.rowCount > 0;
      if (removed) {
        await this.dropUnused(tx, messageId);
        seqno = await this.bumpSeqno(tx, roomId, messageId);
      }
      return { removed, seqno };
    });
  }

  /** Removes everyone's reactions of one emoji (null: of every emoji); `removed` counts them. */
  clear(db: Database, roomId: number, messageId: number, reaction: string | null): Promise<{ removed: number; seqno: number }> {
    return db.transaction(async (tx) => {
      await lockRoom(tx, roomId);
      let seqno = await this.reactableSeqno(tx, roomId, messageId);
      const del = await tx.query(
        `DELETE FROM user_reactions WHERE reaction IN
           (SELECT id FROM reactions WHERE message = $1 AND ($2::text IS NULL OR reaction = $2))`,
        [messageId, reaction],
      );
      if (del.rowCount > 0) {
        await this.dropUnused(tx, messageId);
        seqno = await this.bumpSeqno(tx, roomId, messageId);
      }
      return { removed: del.rowCount, seqno };
    });
  }

  /** Who reacted with `reaction`, first first, with when; `limit` 0 or less: all of them. */
  async reactors(q: Queryable, messageId: number, reaction: string, limit: number): Promise<[string, number][]> {
    const res = await q.query<{ session_id: string; at: number }>(
      `SELECT u.session_id, ur.at FROM user_reactions ur
         JOIN reactions r ON r.id = ur.reaction JOIN users u ON u.id = ur."user"
        WHERE r.message = $1 AND r.reaction = $2 ORDER BY ur.at, ur."user"
        ${limit > 0 ? 'LIMIT $3' : ''}`,
      limit > 0 ? [messageId, reaction, limit] : [messageId, reaction],
    );
    return res.rows.map((r) => [r.session_id, Number(r.at)]);
  }

  /** NotFound unless the message can carry reactions. */
  async checkReactable(q: Queryable, roomId: number, messageId: number): Promise<void> {
    await this.reactableSeqno(q, roomId, messageId);
  }

  /** The message's current seqno if it can carry reactions: live, not a whisper, not filtered. */
  private async reactableSeqno(q: Queryable, roomId: number, messageId: number): Promise<number> {
    const res = await q.query<{ seqno: string }>(
      `SELECT seqno FROM messages WHERE id = $1 AND room = $2 AND data IS NOT NULL
          AND whisper IS NULL AND NOT whisper_mods AND NOT filtered`,
      [messageId, roomId],
    );
    if (!res.rows[0]) throw new NotFound('No such message');
    return Number(res.rows[0].seqno);
  }

  private async bumpSeqno(q: Queryable, roomId: number, messageId: number): Promise<number> {
    const seqno = await nextSeqno(q, roomId);
    await q.query('UPDATE messages SET seqno_reactions = $2, seqno = $2 WHERE id = $1', [messageId, seqno]);
    return seqno;
  }

  /** An emoji nobody uses any more leaves the message (and its index slot). */
  private async dropUnused(q: Queryable, messageId: number): Promise<void> {
    await q.query(
      'DELETE FROM reactions r WHERE r.message = $1 AND NOT EXISTS (SELECT 1 FROM user_reactions ur WHERE ur.reaction = r.id)',
      [messageId],
    );
  }
}
