// Where file bytes live, behind one small interface: bytea rows in PostgreSQL (replicas share
// them through the database) or files in a folder (a shared volume). An upload is first staged,
// then committed inside the transaction that writes its metadata row, so a failed or aborted
// upload leaves neither a row nor bytes behind.
import type { Readable } from 'stream';
import type { Queryable, Transaction } from '@starling/platform';

export interface BlobSink {
  write(chunk: Uint8Array): Promise<void>;
  /** All bytes received: the staged blob, not yet visible to readers. */
  finish(): Promise<StagedBlob>;
  /** The upload failed or was refused: drop what was staged. */
  abort(): Promise<void>;
}

export interface StagedBlob {
  /** Makes the staged bytes the blob of `id`; runs inside the metadata transaction. */
  commit(tx: Transaction, id: string): Promise<void>;
  /** Drops the staged bytes (also undoes a commit whose transaction then failed). */
  discard(): Promise<void>;
}

export interface BlobStore {
  readonly mode: 'db' | 'folder';
  receive(): Promise<BlobSink>;
  /** The bytes of `id`, or undefined when they are gone (deleted since the metadata was read). */
  read(db: Queryable, id: string): Promise<Buffer | Readable | undefined>;
  /** Runs in the expiry transaction after the rows of `ids` were deleted. */
  deleteBlobs(tx: Transaction, ids: readonly string[]): Promise<void>;
  /** Removes staged uploads abandoned by a crash; called by the expiry job. */
  sweepAbandoned(olderThanMs: number): Promise<number>;
}
