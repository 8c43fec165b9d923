// Blob bytes as files: <dir>/<first two id characters>/<id>. An upload is written to
// <dir>/.uploads/<random> as it arrives (never read from there), is fsynced, and is hard-linked
// to its final name inside the metadata transaction; an existing final file already holds the
// same bytes (the id is their hash), so it is kept and the staged copy dropped.
import { randomBytes } from 'crypto';
import { promises as fs } from 'fs';
import * as path from 'path';
import type { BodySource, Queryable, Transaction } from '@starling/platform';
import type { BlobStore, BlobWriter, StagedBlob } from './blob-store';

const STAGING = '.uploads';
/** A download is read from its file this much at a time, as the client takes it. */
const READ_BYTES = 256 * 1024;

export class FolderBlobStore implements BlobStore {
  readonly mode = 'folder' as const;

  constructor(readonly dir: string) {}

  async init(): Promise<void> {
    await fs.mkdir(path.join(this.dir, STAGING), { recursive: true, mode: 0o700 });
  }

  pathOf(id: string): string {
    return path.join(this.dir, id.slice(0, 2), id);
  }

  stage(): BlobWriter {
    const stagedPath = path.join(this.dir, STAGING, randomBytes(16).toString('hex'));
    let file: Promise<fs.FileHandle> | undefined; // opened with the first part
    const open = () => (file ??= fs.open(stagedPath, 'wx', 0o600));
    const discard = async (): Promise<void> => {
      if (!file) return;
      await (await file.catch(() => undefined))?.close().catch(() => undefined);
      await unlinkIfPresent(stagedPath);
    };
    return {
      // A FileHandle's writeFile writes all of the part at the current position.
      write: async (part) => void (await (await open()).writeFile(part)),
      close: async () => {
        const handle = await open();
        await handle.sync();
        await handle.close();
        return this.staged(stagedPath);
      },
      discard,
    };
  }

  /** Staged bytes, linked to their final name inside the metadata transaction. */
  private staged(stagedPath: string): StagedBlob {
    let created: string | undefined;
    return {
      commit: async (_tx, id) => {
        const finalPath = this.pathOf(id);
        await fs.mkdir(path.dirname(finalPath), { recursive: true, mode: 0o700 });
        try {
          await fs.link(stagedPath, finalPath);
          created = finalPath;
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
        }
        await unlinkIfPresent(stagedPath);
      },
      discard: async () => {
        await unlinkIfPresent(stagedPath);
        if (created) await unlinkIfPresent(created);
      },
    };
  }

  async read(_db: Queryable, id: string): Promise<BodySource | undefined> {
    // Opening first means a file deleted by the expiry job a moment later is still read whole.
    let handle: fs.FileHandle;
    try {
      handle = await fs.open(this.pathOf(id), 'r');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
    try {
      return fileSource(handle, (await handle.stat()).size);
    } catch (err) {
      await handle.close();
      throw err;
    }
  }

  async deleteBlobs(_tx: Transaction, ids: readonly string[]): Promise<void> {
    for (const id of ids) await unlinkIfPresent(this.pathOf(id));
  }

  async sweepAbandoned(olderThanMs: number): Promise<number> {
    const stagingDir = path.join(this.dir, STAGING);
    const cutoff = Date.now() - olderThanMs;
    let removed = 0;
    for (const name of await fs.readdir(stagingDir)) {
      const file = path.join(stagingDir, name);
      const stat = await fs.stat(file).catch(() => undefined);
      if (stat && stat.mtimeMs < cutoff) {
        await unlinkIfPresent(file);
        removed++;
      }
    }
    return removed;
  }
}

async function unlinkIfPresent(file: string): Promise<void> {
  try {
    await fs.unlink(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
}

/** An open blob file as a reply body: read a slice at a time, closed when read or released. */
function fileSource(handle: fs.FileHandle, length: number): BodySource {
  let closed = false;
  const close = async (): Promise<void> => {
    if (closed) return;
    closed = true;
    await handle.close().catch(() => undefined);
  };
  return {
    length,
    read: async function* () {
      try {
        for (let at = 0; at < length; ) {
          const size = Math.min(READ_BYTES, length - at);
          const { bytesRead, buffer } = await handle.read(Buffer.allocUnsafe(size), 0, size, at);
          if (bytesRead === 0) throw new Error(`blob file ended at ${at} of ${length} bytes`);
          at += bytesRead;
          yield buffer.subarray(0, bytesRead);
        }
      } finally {
        await close();
      }
    },
    close,
  };
}
