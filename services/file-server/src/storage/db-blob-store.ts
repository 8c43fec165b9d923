// Blob bytes as bytea rows in file_blobs, written by the metadata transaction itself; deleting a
// files row deletes its blob row by cascade.
import type { BodySource, Queryable, Transaction } from '@starling/platform';
import type { BlobStore, BlobWriter } from './blob-store';

export class DbBlobStore implements BlobStore {
  readonly mode = 'db' as const;

  stage(): BlobWriter {
    // bytea takes the whole value at once: the parts wait in memory until the transaction.
    const parts: Uint8Array[] = [];
    return {
      write: async (part) => void parts.push(part),
      close: async () => {
        const bytes = Buffer.concat(parts);
        return {
          // Same id means same bytes, so a blob row left by an expired, not yet deleted upload is kept.
          commit: async (tx, id) => void (await tx.query('INSERT INTO file_blobs (id, data) VALUES ($1, $2) ON CONFLICT (id) DO NOTHING', [id, bytes])),
          discard: async () => undefined, // the rolled-back transaction took the row with it
        };
      },
      discard: async () => void (parts.length = 0),
    };
  }

  async read(db: Queryable, id: string): Promise<BodySource | undefined> {
    const res = await db.query<{ data: Buffer }>('SELECT data FROM file_blobs WHERE id = $1', [id]);
    const data = res.rows[0]?.data;
    // bytea comes whole from the database: the source is the one buffer.
    return data && { length: data.length, read: async function* () { yield data; }, close: async () => undefined };
  }

  async deleteBlobs(_tx: Transaction, _ids: readonly string[]): Promise<void> {
    // ON DELETE CASCADE already removed them with their files rows.
  }

  async sweepAbandoned(): Promise<number> {
    return 0;
  }
}
