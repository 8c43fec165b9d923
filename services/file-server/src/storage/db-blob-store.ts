// Blob bytes as bytea rows in file_blobs. The upload is held in memory until its transaction
// (at most maxBytes, which the reader enforces while streaming); deleting a files row deletes its
// blob row by cascade.
import type { Queryable, Transaction } from '@starling/platform';
import type { BlobSink, BlobStore, StagedBlob } from './blob-store';

export class DbBlobStore implements BlobStore {
  readonly mode = 'db' as const;

  async receive(): Promise<BlobSink> {
    const chunks: Uint8Array[] = [];
    return {
      write: async (chunk) => void chunks.push(chunk),
      finish: async (): Promise<StagedBlob> => {
        const data = Buffer.concat(chunks);
        chunks.length = 0;
        return {
          // Same id means same bytes, so a blob row left by an expired, not yet deleted upload is kept.
          commit: async (tx, id) =>
            void (await tx.query('INSERT INTO file_blobs (id, data) VALUES ($1, $2) ON CONFLICT (id) DO NOTHING', [id, data])),
          discard: async () => undefined, // the rolled-back transaction took the row with it
        };
      },
      abort: async () => void (chunks.length = 0),
    };
  }

  async read(db: Queryable, id: string): Promise<Buffer | undefined> {
    const res = await db.query<{ data: Buffer }>('SELECT data FROM file_blobs WHERE id = $1', [id]);
    return res.rows[0]?.data;
  }

  async deleteBlobs(_tx: Transaction, _ids: readonly string[]): Promise<void> {
    // ON DELETE CASCADE already removed them with their files rows.
  }

  async sweepAbandoned(): Promise<number> {
    return 0;
  }
}
