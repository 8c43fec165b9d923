// Where file bytes live, behind one small interface: bytea rows in PostgreSQL (replicas share
// them through the database) or files in a folder (a shared volume). An upload is first staged
// as it arrives, then committed inside the transaction that writes its metadata row, so a failed
// upload leaves neither a row nor bytes behind.
import type { BodySource, Queryable, Transaction } from '@starling/platform';

export interface StagedBlob {
  /** Makes the staged bytes the blob of `id`; runs inside the metadata transaction. */
  commit(tx: Transaction, id: string): Promise<void>;
  /** Drops the staged bytes (also undoes a commit whose transaction then failed). */
  discard(): Promise<void>;
}

/** An upload's bytes being staged, part by part as they arrive. */
export interface BlobWriter {
  /** Appends a part; resolves once the writer can take the next. */
  write(part: Uint8Array): Promise<void>;
  /** Every part is written (and durable): the bytes are staged. */
  close(): Promise<StagedBlob>;
  /** Drops what was written (also after a failed close). */
  discard(): Promise<void>;
}

export interface BlobStore {
  readonly mode: 'db' | 'folder';
  /** Starts keeping the bytes of an upload where no reader sees them until commit. */
  stage(): BlobWriter;
  /** The bytes of `id`, or undefined when they are gone (deleted since the metadata was read). */
  read(db: Queryable, id: string): Promise<BodySource | undefined>;
  /** Runs in the expiry transaction after the rows of `ids` were deleted. */
  deleteBlobs(tx: Transaction, ids: readonly string[]): Promise<void>;
  /** Removes staged uploads abandoned by a crash; called by the expiry job. */
  sweepAbandoned(olderThanMs: number): Promise<number>;
}
