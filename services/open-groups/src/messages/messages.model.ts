// Posting, editing, deleting and reading room messages with the seqno model of §1.5.
import type { Database, NamedStatement, Queryable } from '@starling/platform';
import { Coalescer } from '../coalescer';
import { Forbidden, NotFound, RateLimited } from '../domain/errors';
import { NOT_A_ROOM_IMAGE } from '../files/files.model';
import { reactionsColumn, reactionView, type ReactionRow } from '../reactions/reaction-view';
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
  reactions: ReactionRow[] | null;
}

/** Message rows with their reactions, for the viewer `viewer` (an id, -1 for nobody). */
const messageSelect = (viewer: string, reactorLimit: string) => `SELECT m.id, u.session_id, m.posted, m.edited, m.seqno,
       m.seqno_data, m.seqno_creation, m.data, m.signature, w.session_id AS whisper_to, m.whisper_mods,
       ${reactionsColumn(viewer, reactorLimit)}
  FROM messages m JOIN users u ON u.id = m."user" LEFT JOIN users w ON w.id = m.whisper`;

/**
 * SQL condition on `m`: what a viewer (`viewer` an id, -1 for nobody) may see: public posts and
 * whispers to them; a moderator (`moderator` true) also sees whispers to moderators and their own.
 */
const visibleTo = (viewer: string, moderator: string) =>
  `NOT m.filtered AND ((m.whisper IS NULL AND NOT m.whisper_mods) OR m.whisper = ${viewer}
     OR (${moderator} AND (m.whisper_mods OR m."user" = ${viewer})))`;

/**
 * The update stream of many polls in one statement: each poll's changes after its `since`,
 * oldest first, tagged with the poll's position `i` (from 1). Named, like the other reads, so
 * that PostgreSQL plans it once per connection.
 */
const SINCE_MANY: NamedStatement = {
  name: 'og_since_many',
  text: `SELECT k.i, x.*
           FROM unnest($1::bigint[], $2::bigint[], $3::boolean[], $4::bigint[], $5::boolean[], $6::int[], $7::int[])
                WITH ORDINALITY AS k(room, viewer, moderator, since, with_reactions, lim, reactors, i)
          CROSS JOIN LATERAL (
                ${messageSelect('k.viewer', 'k.reactors')}
                 WHERE m.room = k.room AND m.seqno > k.since AND (k.with_reactions OR m.seqno_data > k.since)
                   AND ${visibleTo('k.viewer', 'k.moderator')}
                   AND (m.data IS NOT NULL OR m.seqno_creation <= k.since)
                 ORDER BY m.seqno LIMIT k.lim) x
          ORDER BY k.i, x.seqno`,
};

/** Live messages newest first, below an id: $1 room, $2 viewer, $3 moderator, $4 before, $5 limit, $6 reactor limit. */
const RECENT: NamedStatement = {
  name: 'og_recent',
  text: `${messageSelect('$2', '$6')}
          WHERE m.room = $1 AND m.data IS NOT NULL AND ${visibleTo('$2', '$3')} AND m.id < $4 ORDER BY m.id DESC LIMIT $5`,
};

/** One live message: $1 room, $2 viewer, $3 moderator, $4 id, $5 reactor limit. */
const SINGLE: NamedStatement = {
  name: 'og_message',
  text: `${messageSelect('$2', '$5')} WHERE m.room = $1 AND m.data IS NOT NULL AND ${visibleTo('$2', '$3')} AND m.id = $4`,
};

/** A message just written, as its author sees it ($1 id, $2 author, $3 reactor limit). */
const WRITTEN: NamedStatement = { name: 'og_message_written', text: `${messageSelect('$2', '$3')} WHERE m.id = $1` };

export interface Viewer {
  user: User | null;
  access: Access;
}

export interface ReadOptions {
  limit: number;
  reactors: number;
}

/** One poll of the update stream, as SINCE_MANY takes it. */
interface SincePoll {
  room: number;
  viewer: number;
  moderator: boolean;
  since: number;
  withReactions: boolean;
  limit: number;
  reactors: number;
}

export class MessagesModel {
  /** Polls that are behind the head share queries (see Coalescer). */
  private readonly polls: Coalescer<SincePoll, MessageRow[]>;

  constructor(
    db: Queryable,
    private readonly limits: MessageLimits,
  ) {
    this.polls = new Coalescer((polls) => this.sinceMany(db, polls));
  }

  private render(rows: MessageRow[], reactors: number, since?: number): Record<string, unknown>[] {
    return rows.map((r) => {
      const id = Number(r.id);
      const seqno = Number(r.seqno);
      if (r.data !== null && since !== undefined && Number(r.seqno_data) <= since) {
        return { id, seqno, reactions: reactionView(r.reactions, reactors) }; // only reactions changed since the poll point
      }
      const msg: Record<string, unknown> = { id, session_id: r.session_id, posted: Number(r.posted), seqno };
      // A tombstone keeps what the post was (its edit time, whom it whispered to), not its content.
      if (r.data === null) Object.assign(msg, { data: null, deleted: true });
      else Object.assign(msg, { data: r.data.toString('base64'), signature: r.signature!.toString('base64') });
      if (r.edited !== null) msg.edited = Number(r.edited);
      if (r.data !== null) msg.reactions = reactionView(r.reactions, reactors);
      if (r.whisper_to !== null || r.whisper_mods) {
        msg.whisper = true;
        msg.whisper_mods = r.whisper_mods;
        if (r.whisper_to !== null) msg.whisper_to = r.whisper_to;
      }
      return msg;
    });
  }

  /** The update stream: changes after `since`, oldest first (tombstones, reaction-only rows). */
  async since(room: Room, viewer: Viewer, since: number, withReactions: boolean, opts: ReadOptions) {
    // Every change takes its seqno from the room counter, so nothing can be newer than the
    // counter read with this request's room row: most polls (at the head) end here.
    if (since >= room.messageSequence) return [];
    const rows = await this.polls.get({
      room: room.id,
      viewer: viewer.user?.id ?? -1,
      moderator: viewer.access.moderator,
      since,
      withReactions,
      limit: opts.limit,
      reactors: opts.reactors,
    });
    return this.render(rows, opts.reactors, since);
  }

  private async sinceMany(q: Queryable, polls: SincePoll[]): Promise<MessageRow[][]> {
    const column = <T>(pick: (p: SincePoll) => T) => polls.map(pick);
    const res = await q.query<MessageRow & { i: string }>(SINCE_MANY, [
      column((p) => p.room),
      column((p) => p.viewer),
      column((p) => p.moderator),
      column((p) => p.since),
      column((p) => p.withReactions),
      column((p) => p.limit),
      column((p) => p.reactors),
    ]);
    const out = polls.map((): MessageRow[] => []);
    for (const row of res.rows) out[Number(row.i) - 1].push(row);
    return out;
  }

  /** Live messages newest first, optionally only those with id below `before`. */
  async recent(q: Queryable, room: Room, viewer: Viewer, opts: ReadOptions, before?: number) {
    const res = await q.query<MessageRow>(RECENT, [
      room.id,
      viewer.user?.id ?? -1,
      viewer.access.moderator,
      before ?? Number.MAX_SAFE_INTEGER,
      opts.limit,
      opts.reactors,
    ]);
    return this.render(res.rows, opts.reactors);
  }

  async single(q: Queryable, room: Room, viewer: Viewer, id: number, reactors: number) {
    const res = await q.query<MessageRow>(SINGLE, [room.id, viewer.user?.id ?? -1, viewer.access.moderator, id, reactors]);
    if (!res.rows[0]) throw new NotFound('No such message');
    return this.render(res.rows, reactors)[0];
  }

  async post(
    db: Database,
    room: Room,
    user: User,
    access: Access,
    input: { data: Buffer; signature: Buffer; whisperTo?: User; whisperMods: boolean; files: number[] },
    now: number,
  ): Promise<Record<string, unknown>> {
    if (!access.write) throw new Forbidden('This room does not allow you to post');
    if ((input.whisperTo || input.whisperMods) && !access.moderator) throw new Forbidden('Only moderators may send whispers');
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
    const res = await db.query<MessageRow>(WRITTEN, [id, user.id, 0]);
    return this.render(res.rows, 0)[0];
  }

  private async checkRateLimit(q: Queryable, roomId: number, userId: number, now: number): Promise<void> {
    const res = await q.query<{ n: string }>(
      'SELECT count(*) AS n FROM messages WHERE room = $1 AND "user" = $2 AND posted >= $3',
      [roomId, userId, now - this.limits.rateLimitWindowSeconds],
    );
    if (Number(res.rows[0].n) >= this.limits.rateLimitPosts) throw new RateLimited('Rate limited');
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
      if (msg.user !== user.id) throw new Forbidden('You can only edit your own messages');
      if (!access.write) throw new Forbidden('This room does not allow you to post');
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
    if (!res.rows[0]) throw new NotFound('No such message');
    return { user: Number(res.rows[0].user) };
  }

  /** Deletes one post (own, or anyone's for a moderator). */
  async delete(db: Database, room: Room, user: User, access: Access, id: number, now: number): Promise<void> {
    await db.transaction(async (tx) => {
      await lockRoom(tx, room.id);
      const msg = await this.liveMessage(tx, room.id, id);
      if (msg.user !== user.id && !access.moderator) throw new Forbidden('You can only delete your own messages');
      if (!access.write && !access.moderator) throw new Forbidden('This room does not allow you to post');
      await this.tombstone(tx, room.id, [id], now);
    });
  }

  /** Deletes every live post of `target` in the room; returns how many. */
  async deleteAllBy(q: Queryable, roomId: number, targetId: number, now: number): Promise<number> {
    await lockRoom(q, roomId);
    const res = await q.query<{ id: string }>(
      'SELECT id FROM messages WHERE room = $1 AND "user" = $2 AND data IS NOT NULL ORDER BY id',
      [roomId, targetId],
    );
    const ids = res.rows.map((r) => Number(r.id));
    if (ids.length) await this.tombstone(q, roomId, ids, now);
    // Their uploads in this room go too (except a room image).
    await q.query(`UPDATE files SET expiry = $3 WHERE room = $1 AND uploader = $2 AND (expiry IS NULL OR expiry > $3) AND ${NOT_A_ROOM_IMAGE}`, [
      roomId,
      targetId,
      now,
    ]);
    return ids.length;
  }

  /** Forgets the earlier versions of edited and deleted posts replaced before `before`. */
  async pruneHistory(q: Queryable, before: number): Promise<void> {
    await q.query('DELETE FROM message_history WHERE replaced < $1', [before]);
  }

  /** Replaces posts by tombstones, one seqno each; reactions, pins and attachments go with them. */
  private async tombstone(q: Queryable, roomId: number, ids: number[], now: number): Promise<void> {
    for (const id of ids) {
      const seqno = await nextSeqno(q, roomId);
      await q.query('INSERT INTO message_history (message, replaced, data, signature) SELECT id, $2, data, signature FROM messages WHERE id = $1', [id, now]);
      await q.query('UPDATE messages SET data = NULL, signature = NULL, seqno_data = $2, seqno = $2 WHERE id = $1', [id, seqno]);
    }
    await q.query('DELETE FROM reactions WHERE message = ANY($1::bigint[])', [ids]);
    await q.query('DELETE FROM pinned_messages WHERE message = ANY($1::bigint[])', [ids]);
    // A file that became a room's image stays: the room shows it, whatever happens to the post.
    await q.query(`UPDATE files SET expiry = $2 WHERE message = ANY($1::bigint[]) AND ${NOT_A_ROOM_IMAGE}`, [ids, now]);
  }
}
