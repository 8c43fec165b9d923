// The files feature: metadata and blob storage, the expiry job, and the file API routes.
import { Module } from '@nestjs/common';
import * as path from 'path';
import { DATABASE, LOGGER, type Database, type Logger } from '@starling/platform';
import { FILE_SERVER_CONFIG, type FileServerConfig } from '../config';
import { FileRoutes } from '../http/file-routes';
import { FileServerMetrics } from '../metrics';
import type { BlobStore } from '../storage/blob-store';
import { DbBlobStore } from '../storage/db-blob-store';
import { ExpiryJob } from '../storage/expiry-job';
import { FileStore } from '../storage/file-store';
import { FolderBlobStore } from '../storage/folder-blob-store';

export const BLOB_STORE = Symbol('BlobStore');

/** The folder blobs live in, or undefined when they are bytea rows. */
export function blobDirOf(config: FileServerConfig): string | undefined {
  return config.blobStore === 'folder' ? (config.blobDir ?? path.join(config.dataDir, 'blobs')) : undefined;
}

@Module({
  providers: [
    {
      provide: BLOB_STORE,
      inject: [FILE_SERVER_CONFIG],
      useFactory: async (config: FileServerConfig): Promise<BlobStore> => {
        const dir = blobDirOf(config);
        if (dir === undefined) return new DbBlobStore();
        const folder = new FolderBlobStore(dir);
        await folder.init();
        return folder;
      },
    },
    {
      provide: FileStore,
      inject: [DATABASE, BLOB_STORE, FILE_SERVER_CONFIG],
      useFactory: (db: Database, blobs: BlobStore, config: FileServerConfig) => new FileStore(db, blobs, config.maxBytes),
    },
    {
      provide: ExpiryJob,
      inject: [FileStore, BLOB_STORE, FileServerMetrics, LOGGER, FILE_SERVER_CONFIG],
      useFactory: (store: FileStore, blobs: BlobStore, metrics: FileServerMetrics, log: Logger, config: FileServerConfig) =>
        new ExpiryJob(store, blobs, metrics, log, config.cleanupIntervalMs),
    },
    FileRoutes,
  ],
  exports: [ExpiryJob],
})
export class FilesModule {}
