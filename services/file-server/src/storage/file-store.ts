// The file server's storage: metadata rows in PostgreSQL (pg or PGlite) plus blob bytes in the
// configured BlobStore. Every time comparison uses the database clock, so replicas agree on
// what has expired.
import type { BodySource, Database } from '@starling/platform';
import { FileIdHasher } from '../files/file-id';
import type { BlobStore, StagedBlob } from './blob-store';
import { FILE_RECORD_COLUMNS, type FileRecord } from './file-record';

export type UploadRefusal = 'too_large' | 'empty';

/** An upload the server does not keep; nothing of it was stored. */
export class UploadRefused extends Error {
  constructor(
    readonly reason: UploadRefusal,
    message: string,
  ) {
    super(message);
    this.name = 'UploadRefused';
  }
}

export interface StoredFile {
  record: FileRecord;
  source: BodySource;
}

export interface ExpiredBatch {
  files: number;
  bytes: number;
}

export class FileStore {
  constructor(
    private readonly db: Database,
    private readonly blobs: BlobStore,
    private readonly maxBytes: number,
  ) {}

  /**
   * Stores an upload as its parts arrive (`parts` may fail: its client left); the edge has already
   * held it to its cap, an onion request's inner body is checked here. Identical bytes already
   * stored keep their `uploaded` time and get the later of the two expiries. Whatever fails, the
   * upload leaves nothing behind.
   */
  async put(parts: AsyncIterable<Uint8Array> | Iterable<Uint8Array>, ttlSeconds: number): Promise<FileRecord> {
    const hasher = new FileIdHasher();
    const blob = this.blobs.stage();
    let size = 0;
    let staged: StagedBlob;
    try {
      for await (const part of parts) {
        size += part.length;
        if (size > this.maxBytes) throw new UploadRefused('too_large', `upload exceeds ${this.maxBytes} bytes`);
        await hasher.update(part);
        await blob.write(part);
      }
      if (size === 0) throw new UploadRefused('empty', 'empty upload');
      staged = await blob.close();
    } catch (err) {
      await blob.discard();
      throw err;
    }
    const id = hasher.digest();
    try {
      return await this.db.transaction(async (tx) => {
        const res = await tx.query<FileRecord>(
          `INSERT INTO files (id, size, expires) VALUES ($1, $2, now() + make_interval(secs => $3))
           ON CONFLICT (id) DO UPDATE SET
             uploaded = CASE WHEN files.expires > now() THEN files.uploaded ELSE now() END,
             expires = CASE WHEN files.expires > now() THEN GREATEST(files.expires, EXCLUDED.expires)
                            ELSE EXCLUDED.expires END
           RETURNING ${FILE_RECORD_COLUMNS}`,
          [id, size, ttlSeconds],
        );
        await staged.commit(tx, id);
        return res.rows[0]!;
      });
    } catch (err) {
      await staged.discard();
      throw err;
    }
  }

  /** The live (not expired) record of `id`. */
  async info(id: string): Promise<FileRecord | undefined> {
    const res = await this.db.query<FileRecord>(
      `SELECT ${FILE_RECORD_COLUMNS} FROM files WHERE id = $1 AND expires > now()`,
      [id],
    );
    return res.rows[0];
  }

  async open(id: string): Promise<StoredFile | undefined> {
    const record = await this.info(id);
    if (!record) return undefined;
    const source = await this.blobs.read(this.db, id);
    return source && { record, source };
  }

  /** Moves the expiry of a live file to now + ttl unless it is already later (as upstream). */
  async extend(id: string, ttlSeconds: number): Promise<FileRecord | undefined> {
    const res = await this.db.query<FileRecord>(
      `UPDATE files SET expires = GREATEST(expires, now() + make_interval(secs => $2))
       WHERE id = $1 AND expires > now()
       RETURNING ${FILE_RECORD_COLUMNS}`,
      [id, ttlSeconds],
    );
    return res.rows[0];
  }

  /**
   * Deletes up to `limit` expired files, rows and bytes in one transaction. Rows another replica
   * is deleting (or an upload is refreshing) are skipped, not waited for.
   */
  async deleteExpired(limit: number): Promise<ExpiredBatch> {
    return this.db.transaction(async (tx) => {
      const res = await tx.query<{ id: string; size: number }>(
        `DELETE FROM files WHERE id IN (
           SELECT id FROM files WHERE expires <= now() ORDER BY expires LIMIT $1 FOR UPDATE SKIP LOCKED)
         RETURNING id, size::float8 AS size`,
        [limit],
      );
      await this.blobs.deleteBlobs(tx, res.rows.map((r) => r.id));
      return { files: res.rows.length, bytes: res.rows.reduce((sum, r) => sum + r.size, 0) };
    });
  }

  /** Live files and their bytes, for the bytes-stored gauge. */
  async totals(): Promise<{ files: number; bytes: number }> {
    const res = await this.db.query<{ files: number; bytes: number }>(
      `SELECT count(*)::float8 AS files, coalesce(sum(size), 0)::float8 AS bytes FROM files WHERE expires > now()`,
    );
    return res.rows[0] ?? { files: 0, bytes: 0 };
  }
}
