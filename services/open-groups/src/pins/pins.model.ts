// Pinned messages (§1.7): every change moves the room's info_updates (a trigger counts it). Pinned attachments stop
// expiring; unpinned ones get the normal lifetime counted from their upload.
import type { Database } from '@starling/platform';
import { NotFound } from '../domain/errors';
import { NOT_A_ROOM_IMAGE } from '../files/files.model';
import { lockRoom } from '../messages/seqno';
import type { Room } from '../rooms/room';
import type { RoomsModel } from '../rooms/rooms.model';

export class PinsModel {
  /** SQL for an unpinned attachment's expiry. */
  private readonly unpinnedExpiry: string;

  constructor(
    private readonly rooms: RoomsModel,
    /** 0: attachments never expire. */
    fileExpirySeconds: number,
  ) {
    this.unpinnedExpiry = fileExpirySeconds > 0 ? `uploaded + ${Number(fileExpirySeconds)}` : 'NULL';
  }

  /** Pins (or re-pins, moving it last) a public live message; returns info_updates. */
  pin(db: Database, room: Room, messageId: number, pinnedBy: number, now: number): Promise<number> {
    return db.transaction(async (tx) => {
      await lockRoom(tx, room.id);
      const msg = await tx.query(
        'SELECT 1 FROM messages WHERE id = $1 AND room = $2 AND data IS NOT NULL AND whisper IS NULL AND NOT whisper_mods',
        [messageId, room.id],
      );
      if (!msg.rowCount) throw new NotFound('No such message');
      await tx.query(
        `INSERT INTO pinned_messages (room, message, pinned_by, pinned_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (room, message) DO UPDATE SET pinned_by = EXCLUDED.pinned_by, pinned_at = EXCLUDED.pinned_at`,
        [room.id, messageId, pinnedBy, now],
      );
      await tx.query('UPDATE files SET expiry = NULL WHERE message = $1', [messageId]);
      return this.rooms.infoUpdates(tx, room.id);
    });
  }

  unpinAll(db: Database, room: Room): Promise<{ unpinned: number; info_updates: number }> {
    return db.transaction(async (tx) => {
      await lockRoom(tx, room.id);
      const del = await tx.query<{ message: string }>('DELETE FROM pinned_messages WHERE room = $1 RETURNING message', [room.id]);
      const ids = del.rows.map((r) => Number(r.message));
      if (!ids.length) return { unpinned: 0, info_updates: room.infoUpdates };
      await tx.query(`UPDATE files SET expiry = ${this.unpinnedExpiry} WHERE message = ANY($1::bigint[]) AND ${NOT_A_ROOM_IMAGE}`, [ids]);
      return { unpinned: ids.length, info_updates: await this.rooms.infoUpdates(tx, room.id) };
    });
  }

  unpin(db: Database, room: Room, messageId: number): Promise<{ unpinned: boolean; info_updates: number }> {
    return db.transaction(async (tx) => {
      await lockRoom(tx, room.id);
      const del = await tx.query('DELETE FROM pinned_messages WHERE room = $1 AND message = $2', [room.id, messageId]);
      if (!del.rowCount) return { unpinned: false, info_updates: room.infoUpdates };
      await tx.query(`UPDATE files SET expiry = ${this.unpinnedExpiry} WHERE message = $1 AND ${NOT_A_ROOM_IMAGE}`, [messageId]);
      return { unpinned: true, info_updates: await this.rooms.infoUpdates(tx, room.id) };
    });
  }
}
