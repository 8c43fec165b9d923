// Posting, editing, deleting and reading room messages with the seqno model of §1.5.
import type { Database, Queryable } from '@starling/platform';
import { forbidden, notFound, rateLimited } from '../http/errors';
import { reactionsFor } from '../reactions/reaction-view';
import type { Access, Room } from '../rooms/room';
import type { User } from '../users/user';
import { lockRoom, nextSeqno } from './seqno';

export interface MessageLimits {
  /** Posts allowed per user per room within `rateLimitWindowSeconds` (admins exempt). */
  rateLimitPosts: number;
  rateLimitWindowSeconds: number;
  /** Lifetime of attachments once claimed by a post; 0 = never expire. */
  fileExpirySeconds: number;
  /** How long after upload a file can still be claimed. */
  uploadClaimSeconds: number;
}

interface MessageRow {
  id: string;
  session_id: string;
  posted: number;
  edited: number | null;
  seqno: string;
  seqno_data: string;
  seqno_creation: string;
  data: Buffer | null;
  signature: Buffer | null;
  whisper_to: string | null;
  whisper_mods: boolean;
}

const MESSAGE_SELECT = `SELECT m.id, u.session_id, m.posted, m.edited, m.seqno, m.seqno_data, m.seqno_creation,
       m.data, m.signature, w.session_id AS whisper_to, m.whisper_mods
  FROM messages m JOIN users u ON u.id = m."user" LEFT JOIN users w ON w.id = m.whisper`;

export interface Viewer {
  user: User | null;
  access: Access;
}

export interface ReadOptions {
  limit: number;
  reactors: number;
}

export class MessagesService {
  constructor(private readonly limits: MessageLimits) {}

  /** SQL condition on `m` for what this viewer may see; $2 is the viewer's user id. */
  private visibility(viewer: Viewer): string {
    // $2 is typed here so that the anonymous form (which does not compare it) still binds it.
    const base = 'NOT m.filtered AND $2::bigint IS NOT NULL';
    if (!viewer.user) return `${base} AND m.whisper IS NULL AND NOT m.whisper_mods`;
    if (viewer.access.moderator) {
      return `${base} AND ((m.whisper IS NULL AND NOT m.whisper_mods) OR m.whisper_mods OR m.whisper = $2 OR m."user" = $2)`;
    }
    return `${base} AND ((m.whisper IS NULL AND NOT m.whisper_mods) OR m.whisper = $2)`;
  }

  private async render(q: Queryable, rows: MessageRow[], viewer: Viewer, reactors: number, since?: number): Promise<Record<string, unknown>[]> {
    const live = rows.filter((r) => r.data !== null).map((r) => Number(r.id));
    const reactions = await reactionsFor(q, live, viewer.user?.id ?? null, reactors);
    return rows.map((r) => {
      const id = Number(r.id);
      const seqno = Number(r.seqno);
      if (r.data === null) {
        return { id, session_id: r.session_id, posted: Number(r.posted), seqno, data: null, deleted: true };
      }
      if (since !== undefined && Number(r.seqno_data) <= since) {
        return { id, seqno, reactions: reactions.get(id) }; // only reactions changed since the poll point
      }
      const msg: Record<string, unknown> = {
        id,
        session_id: r.session_id,
        posted: Number(r.posted),
        seqno,
        data: r.data.toString('base64'),
        signature: r.signature!.toString('base64'),
      };
      if (r.edited !== null) msg.edited = Number(r.edited);
      msg.reactions = reactions.get(id);
      if (r.whisper_to !== null || r.whisper_mods) {
        msg.whisper = true;
        msg.whisper_mods = r.whisper_mods;
        if (r.whisper_to !== null) msg.whisper_to = r.whisper_to;
      }
      return msg;
    });
  }

  /** The update stream: changes after `since`, oldest first (tombstones, reaction-only rows). */
  async since(q: Queryable, room: Room, viewer: Viewer, since: number, withReactions: boolean, opts: ReadOptions) {
    // Every change takes its seqno from the room counter, so nothing can be newer than the
    // counter read with this request's room row: most polls (at the head) end here.
    if (since >= room.messageSequence) return [];
    const dataChanged = withReactions ? 'TRUE' : 'm.seqno_data > $3';
    const res = await q.query<MessageRow>(
      `${MESSAGE_SELECT}
        WHERE m.room = $1 AND m.seqno > $3 AND ${dataChanged} AND ${this.visibility(viewer)}
          AND (m.data IS NOT NULL OR m.seqno_creation <= $3)
        ORDER BY m.seqno LIMIT $4`,
      [room.id, viewer.user?.id ?? -1, since, opts.limit],
    );
    return this.render(q, res.rows, viewer, opts.reactors, since);
  }

  /** Live messages newest first, optionally only those with id below `before`. */
  async recent(q: Queryable, room: Room, viewer: Viewer, opts: ReadOptions, before?: number) {
    const res = await q.query<MessageRow>(
      `${MESSAGE_SELECT}
        WHERE m.room = $1 AND m.data IS NOT NULL AND ${this.visibility(viewer)} AND m.id < $3
        ORDER BY m.id DESC LIMIT $4`,
      [room.id, viewer.user?.id ?? -1, before ?? Number.MAX_SAFE_INTEGER, opts.limit],
    );
    return this.render(q, res.rows, viewer, opts.reactors);
  }

  async single(q: Queryable, room: Room, viewer: Viewer, id: number, reactors: number) {
    const res = await q.query<MessageRow>(
      `${MESSAGE_SELECT} WHERE m.room = $1 AND m.data IS NOT NULL AND ${this.visibility(viewer)} AND m.id = $3`,
      [room.id, viewer.user?.id ?? -1, id],
    );
    if (!res.rows[0]) throw notFound('No such message');
    return (await this.render(q, res.rows, viewer, reactors))[0];
  }

  async post(
    db: Database,
    room: Room,
    user: User,
    access: Access,
    input: { data: Buffer; signature: Buffer; whisperTo?: User; whisperMods: boolean; files: number[] },
    now: number,
  ): Promise<Record<string, unknown>> {
    if (!access.write) throw forbidden('This room does not allow you to post');
    if ((input.whisperTo || input.whisperMods) && !access.moderator) throw forbidden('Only moderators may send whispers');
    const id = await db.transaction(async (tx) => {
      await lockRoom(tx, room.id);
      if (!access.admin) await this.checkRateLimit(tx, room.id, user.id, now);
      const seqno = await nextSeqno(tx, room.id);
      const ins = await tx.query<{ id: string }>(
        `INSERT INTO messages (room, "user", posted, seqno_data, seqno_creation, seqno, data, signature, whisper, whisper_mods)
         VALUES ($1, $2, $3, $4, $4, $4, $5, $6, $7, $8) RETURNING id`,
        [room.id, user.id, now, seqno, input.data, input.signature, input.whisperTo?.id ?? null, input.whisperMods],
      );
      const id = Number(ins.rows[0].id);
      await this.claimFiles(tx, room.id, user.id, id, input.files, now);
      return id;
    });
    const viewer: Viewer = { user, access };
    const res = await db.query<MessageRow>(`${MESSAGE_SELECT} WHERE m.id = $1`, [id]);
    return (await this.render(db, res.rows, viewer, 0))[0];
  }

  private async checkRateLimit(q: Queryable, roomId: number, userId: number, now: number): Promise<void> {
    const res = await q.query<{ n: string }>(
      'SELECT count(*) AS n FROM messages WHERE room = $1 AND "user" = $2 AND posted >= $3',
      [roomId, userId, now - this.limits.rateLimitWindowSeconds],
    );
    if (Number(res.rows[0].n) >= this.limits.rateLimitPosts) throw rateLimited('Rate limited');
  }

  /** Attaches the poster's own recent unclaimed uploads in this room; others' ids are ignored. */
  private async claimFiles(q: Queryable, roomId: number, userId: number, messageId: number, files: number[], now: number): Promise<void> {
    if (!files.length) return;
    const expiry = this.limits.fileExpirySeconds > 0 ? now + this.limits.fileExpirySeconds : null;
    await q.query(
      `UPDATE files SET message = $1, expiry = $2
        WHERE id = ANY($3::bigint[]) AND room = $4 AND uploader = $5 AND uploaded >= $6
          AND message IS NULL AND expiry IS NOT NULL`,
      [messageId, expiry, files, roomId, userId, now - this.limits.uploadClaimSeconds],
    );
  }

  async edit(db: Database, room: Room, user: User, access: Access, id: number, input: { data: Buffer; signature: Buffer; files: number[] }, now: number) {
    await db.transaction(async (tx) => {
      await lockRoom(tx, room.id);
      const msg = await this.liveMessage(tx, room.id, id);
      if (msg.user !== user.id) throw forbidden('You can only edit your own messages');
      if (!access.write) throw forbidden('This room does not allow you to post');
      const seqno = await nextSeqno(tx, room.id);
      await tx.query('INSERT INTO message_history (message, replaced, data, signature) SELECT id, $2, data, signature FROM messages WHERE id = $1', [id, now]);
      await tx.query(
        'UPDATE messages SET data = $2, signature = $3, edited = $4, seqno_data = $5, seqno = $5 WHERE id = $1',
        [id, input.data, input.signature, now, seqno],
      );
      await this.claimFiles(tx, room.id, user.id, id, input.files, now);
    });
  }

  private async liveMessage(q: Queryable, roomId: number, id: number): Promise<{ user: number }> {
    const res = await q.query<{ user: string }>(
      'SELECT "user" FROM messages WHERE id = $1 AND room = $2 AND data IS NOT NULL',
      [id, roomId],
    );
    if (!res.rows[0]) throw notFound('No such message');
    return { user: Number(res.rows[0].user) };
  }

  /** Deletes one post (own, or anyone's for a moderator). */
  async delete(db: Database, room: Room, user: User, access: Access, id: number, now: number): Promise<void> {
    await db.transaction(async (tx) => {
      await lockRoom(tx, room.id);
      const msg = await this.liveMessage(tx, room.id, id);
      if (msg.user !== user.id && !access.moderator) throw forbidden('You can only delete your own messages');
      if (!access.write && !access.moderator) throw forbidden('This room does not allow you to post');
      await this.tombstone(tx, room.id, [id], now);
    });
  }

  /** Deletes every live post of `target` in the room; returns how many. */
  async deleteAllBy(q: Queryable, roomId: number, targetId: number, now: number, currentImage: number | null): Promise<number> {
    await lockRoom(q, roomId);
    const res = await q.query<{ id: string }>(
      'SELECT id FROM messages WHERE room = $1 AND "user" = $2 AND data IS NOT NULL ORDER BY id',
      [roomId, targetId],
    );
    const ids = res.rows.map((r) => Number(r.id));
    if (ids.length) await this.tombstone(q, roomId, ids, now);
    // Their uploads in this room go too (except the room image).
    await q.query(
      'UPDATE files SET expiry = $3 WHERE room = $1 AND uploader = $2 AND id IS DISTINCT FROM $4::bigint AND (expiry IS NULL OR expiry > $3)',
      [roomId, targetId, now, currentImage],
    );
    return ids.length;
  }

  /** Replaces posts by tombstones, one seqno each; reactions, pins and attachments go with them. */
  private async tombstone(q: Queryable, roomId: number, ids: number[], now: number): Promise<void> {
    for (const id of ids) {
      const seqno = await nextSeqno(q, roomId);
      await q.query('INSERT INTO message_history (message, replaced, data, signature) SELECT id, $2, data, signature FROM messages WHERE id = $1', [id, now]);
      await q.query('UPDATE messages SET data = NULL, signature = NULL, seqno_data = $2, seqno = $2 WHERE id = $1', [id, seqno]);
    }
    await q.query('DELETE FROM reactions WHERE message = ANY($1::bigint[])', [ids]);
    const unpinned = await q.query('DELETE FROM pinned_messages WHERE message = ANY($1::bigint[])', [ids]);
    if (unpinned.rowCount) await q.query('UPDATE rooms SET info_updates = info_updates + 1 WHERE id = $1', [roomId]);
    await q.query('UPDATE files SET expiry = $2 WHERE message = ANY($1::bigint[])', [ids, now]);
  }
}
