// The file API (sogs-fileserver 5): upload, download, info and extend, as routes of the one
// router. Domain refusals (an empty or oversized upload, a bad X-FS-TTL) become status codes here.
import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { jsonReply, OCTET_TYPE, sourceReply, type EdgeRequest, type Reply } from '@starling/platform';
import { FILE_SERVER_CONFIG, type FileServerConfig } from '../config';
import { isFileId } from '../files/file-id';
import { BadTtl, resolveTtl } from '../files/ttl';
import { FileServerMetrics } from '../metrics';
import type { FileRecord } from '../storage/file-record';
import { FileStore, UploadRefused } from '../storage/file-store';
import { errorReply, FileServerRouter } from './router';

@Injectable()
export class FileRoutes implements OnModuleInit {
  constructor(
    private readonly router: FileServerRouter,
    private readonly store: FileStore,
    private readonly metrics: FileServerMetrics,
    @Inject(FILE_SERVER_CONFIG) private readonly config: FileServerConfig,
  ) {}

  onModuleInit(): void {
    this.router
      .add('POST', '/file', (req) => this.upload(req), { streamsBody: true })
      .add('GET', '/file/:id', (_req, { id }) => this.withId(id!, (fileId) => this.download(fileId)))
      .add('GET', '/file/:id/info', (_req, { id }) => this.withId(id!, (fileId) => this.info(fileId)))
      .add('POST', '/file/:id/extend', (req, { id }) => this.withId(id!, (fileId) => this.extend(req, fileId)));
  }

  private async upload(req: EdgeRequest): Promise<Reply> {
    const ttl = this.ttl(req, this.config.defaultTtlSeconds);
    if (ttl === undefined) return errorReply(400);
    let record: FileRecord;
    try {
      record = await this.store.put(req.bodyParts ?? [req.body], ttl);
    } catch (err) {
      if (!(err instanceof UploadRefused)) throw err;
      this.metrics.rejected(err.reason);
      // Upstream answers both an empty and an oversized upload with 413.
      return errorReply(413);
    }
    this.metrics.uploaded(record.size);
    return jsonReply(200, { id: record.id, uploaded: record.uploaded, expires: record.expires });
  }

  private async download(id: string): Promise<Reply> {
    const file = await this.store.open(id);
    if (!file) return this.router.notFound();
    this.metrics.downloaded(file.record.size);
    return sourceReply(200, OCTET_TYPE, file.source, { expires: new Date(file.record.expires * 1000).toUTCString() });
  }

  private async info(id: string): Promise<Reply> {
    const record = await this.store.info(id);
    return record ? jsonReply(200, describe(record)) : this.router.notFound();
  }

  private async extend(req: EdgeRequest, id: string): Promise<Reply> {
    // Without X-FS-TTL an extension gives the longest lifetime allowed, as upstream.
    const ttl = this.ttl(req, this.config.maxTtlSeconds);
    if (ttl === undefined) return errorReply(400);
    const record = await this.store.extend(id, ttl);
    return record ? jsonReply(200, describe(record)) : this.router.notFound();
  }

  /** An id that cannot exist is the same 404 as one that does not exist (upstream has no 400 here). */
  private withId(id: string, handle: (id: string) => Promise<Reply>): Promise<Reply> {
    return isFileId(id) ? handle(id) : Promise.resolve(this.router.notFound());
  }

  /** The X-FS-TTL to apply, or undefined (counted) when the header is not a whole number. */
  private ttl(req: EdgeRequest, fallback: number): number | undefined {
    try {
      return resolveTtl(req.headers['x-fs-ttl'], this.config, fallback);
    } catch (err) {
      if (!(err instanceof BadTtl)) throw err;
      this.metrics.rejected('bad_ttl');
      return undefined;
    }
  }
}

function describe(record: FileRecord): Record<string, unknown> {
  return { id: record.id, size: record.size, uploaded: record.uploaded, expires: record.expires };
}
