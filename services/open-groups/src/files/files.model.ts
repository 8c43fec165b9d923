// Room files (§1.8): raw uploads that live a while unless a post claims them, room images that
// never expire, and their removal once expired.
import type { Queryable } from '@starling/platform';

export interface StoredFile {
  data: Buffer;
  filename: string | null;
  uploaded: number;
  /** null: never expires. */
  expiry: number | null;
}

export interface NewFile {
  room: number;
  /** null for files the operator adds (room images). */
  uploader: number | null;
  data: Buffer;
  filename: string | null;
  uploaded: number;
  /** null: never expires. */
  expiry: number | null;
}

/** SQL condition on `files`: the file is no room's image (room images never expire). */
export const NOT_A_ROOM_IMAGE = 'NOT EXISTS (SELECT 1 FROM rooms WHERE rooms.image = files.id)';

export class FilesModel {
  async add(q: Queryable, file: NewFile): Promise<number> {
    const res = await q.query<{ id: string }>(
      `INSERT INTO files (room, uploader, size, uploaded, expiry, filename, data) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
      [file.room, file.uploader, file.data.length, file.uploaded, file.expiry, file.filename, file.data],
    );
    return Number(res.rows[0].id);
  }

  /** A file of the room that has not expired, or null. */
  async find(q: Queryable, roomId: number, id: number, now: number): Promise<StoredFile | null> {
    const res = await q.query<{ data: Buffer; filename: string | null; uploaded: number; expiry: number | null }>(
      'SELECT data, filename, uploaded, expiry FROM files WHERE id = $1 AND room = $2 AND (expiry IS NULL OR expiry > $3)',
      [id, roomId, now],
    );
    const row = res.rows[0];
    return row ? { data: row.data, filename: row.filename, uploaded: Number(row.uploaded), expiry: row.expiry === null ? null : Number(row.expiry) } : null;
  }

  /** Removes expired files; a room whose image expired loses it (and its info_updates moves). */
  async deleteExpired(q: Queryable, now: number): Promise<void> {
    await q.query('DELETE FROM files WHERE expiry <= $1', [now]);
  }

  /** A stored file's size and name (the operator's view of a room image), or null. */
  async info(q: Queryable, id: number): Promise<{ size: number; filename: string | null } | null> {
    const res = await q.query<{ size: string; filename: string | null }>('SELECT size, filename FROM files WHERE id = $1', [id]);
    const row = res.rows[0];
    return row ? { size: Number(row.size), filename: row.filename } : null;
  }

  /** How many files are stored and their bytes. */
  async stored(q: Queryable): Promise<{ count: number; bytes: number }> {
    const res = await q.query<{ n: string; bytes: string | null }>('SELECT count(*) AS n, sum(size) AS bytes FROM files');
    return { count: Number(res.rows[0].n), bytes: Number(res.rows[0].bytes ?? 0) };
  }
}
