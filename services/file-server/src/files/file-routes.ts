// The one dispatcher of the file API. Plain HTTP (files.controller.ts) and onion requests
// (../onion) both hand it a FileRequest, so a route, its checks and its errors exist once.
// Errors are JSON {"status_code": N} with the same HTTP status, as upstream.
import type { Readable } from 'stream';
import type { Logger } from '@starling/platform';
import { type FileStore, UploadRefused } from '../storage/file-store';
import type { FileRecord } from '../storage/file-record';
import type { FileMetrics } from './file-metrics';
import { isFileId } from './file-id';
import { BadTtl, resolveTtl, type TtlPolicy } from './ttl';
import { issueTurnCredentials, type TurnSettings } from '../turn/turn-credentials';

export interface FileRequest {
  /** Upper-case HTTP method. */
  method: string;
  /** Path without the query string, still percent-encoded. */
  path: string;
  /** Lower-case header names. */
  headers: Readonly<Record<string, string | undefined>>;
  /** Read as it arrives (HTTP) or already whole (onion). */
  body: AsyncIterable<Uint8Array> | Iterable<Uint8Array>;
}

export interface FileResponse {
  status: number;
  /** Lower-case header names. */
  headers: Record<string, string>;
  body: Buffer | Readable;
}

/** Session clients compare content types exactly: no charset. */
export const JSON_CONTENT_TYPE = 'application/json';

export function jsonResponse(status: number, value: unknown, headers: Record<string, string> = {}): FileResponse {
  return { status, headers: { 'content-type': JSON_CONTENT_TYPE, ...headers }, body: Buffer.from(JSON.stringify(value), 'utf8') };
}

export function errorResponse(status: number, headers: Record<string, string> = {}): FileResponse {
  return jsonResponse(status, { status_code: status }, headers);
}

type Handler = (req: FileRequest, id: string) => Promise<FileResponse>;

interface Route {
  pattern: RegExp;
  methods: Partial<Record<string, Handler>>;
}

export interface FileRoutesOptions extends TtlPolicy {
  maxBytes: number;
  /** Without it GET /turn/credentials is an unknown path (404). */
  turn?: TurnSettings;
}

export class FileRoutes {
  private readonly routes: Route[];

  constructor(
    private readonly store: FileStore,
    private readonly options: FileRoutesOptions,
    private readonly metrics: FileMetrics,
    private readonly log: Logger,
  ) {
    // Built here, not as a field initializer: the TURN route depends on the options above.
    this.routes = [
      { pattern: /^\/file$/, methods: { POST: (req) => this.upload(req) } },
      { pattern: /^\/file\/([^/]+)$/, methods: { GET: (_req, id) => this.download(id) } },
      { pattern: /^\/file\/([^/]+)\/info$/, methods: { GET: (_req, id) => this.info(id) } },
      { pattern: /^\/file\/([^/]+)\/extend$/, methods: { POST: (req, id) => this.extend(req, id) } },
      ...this.turnRoutes(),
    ];
  }

  async dispatch(req: FileRequest): Promise<FileResponse> {
    let path: string;
    try {
      path = decodeURIComponent(req.path);
    } catch {
      return this.notFound();
    }
    for (const route of this.routes) {
      const match = route.pattern.exec(path);
      if (!match) continue;
      const handler = route.methods[req.method];
      if (!handler) {
        this.metrics.rejected('bad_method');
        return errorResponse(405, { allow: Object.keys(route.methods).join(', ') });
      }
      const id = match[1];
      // An id that cannot exist is the same 404 as one that does not exist (upstream has no 400 here).
      if (id !== undefined && !isFileId(id)) return this.notFound();
      try {
        return await handler(req, id ?? '');
      } catch (err) {
        this.log.error({ err: errorSummary(err), route: route.pattern.source }, 'file request failed');
        return errorResponse(500);
      }
    }
    return this.notFound();
  }

  private async upload(req: FileRequest): Promise<FileResponse> {
    let ttl: number;
    try {
      ttl = resolveTtl(req.headers['x-fs-ttl'], this.options, this.options.defaultTtlSeconds);
    } catch (err) {
      if (!(err instanceof BadTtl)) throw err;
      this.metrics.rejected('bad_ttl');
      return errorResponse(400);
    }
    // A declared length over the cap is refused before a byte of the body is read.
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > this.options.maxBytes) return this.refuse('too_large');
    let record: FileRecord;
    try {
      record = await this.store.put(req.body, ttl);
    } catch (err) {
      if (err instanceof UploadRefused) return this.refuse(err.reason);
      if (isClientAbort(err)) {
        // The client went away mid-upload; nothing was kept and nobody reads this answer.
        this.metrics.rejected('aborted');
        return errorResponse(400);
      }
      throw err;
    }
    this.metrics.uploaded(record.size);
    return jsonResponse(200, { id: record.id, uploaded: record.uploaded, expires: record.expires });
  }

  private async download(id: string): Promise<FileResponse> {
    const file = await this.store.open(id);
    if (!file) return this.notFound();
    this.metrics.downloaded(file.record.size);
    return {
      status: 200,
      headers: {
        'content-type': 'application/octet-stream',
        'content-length': String(file.record.size),
        expires: new Date(file.record.expires * 1000).toUTCString(),
      },
      body: file.body,
    };
  }

  private async info(id: string): Promise<FileResponse> {
    const record = await this.store.info(id);
    return record ? jsonResponse(200, describe(record)) : this.notFound();
  }

  private async extend(req: FileRequest, id: string): Promise<FileResponse> {
    let ttl: number;
    try {
      // Without X-FS-TTL an extension gives the longest lifetime allowed, as upstream.
      ttl = resolveTtl(req.headers['x-fs-ttl'], this.options, this.options.maxTtlSeconds);
    } catch (err) {
      if (!(err instanceof BadTtl)) throw err;
      this.metrics.rejected('bad_ttl');
      return errorResponse(400);
    }
    const record = await this.store.extend(id, ttl);
    return record ? jsonResponse(200, describe(record)) : this.notFound();
  }

  /** Calls (client.md 6): clients fetch these through an onion path, so no address is seen here. */
  private turnRoutes(): Route[] {
    const turn = this.options.turn;
    if (!turn) return [];
    // no-store: a credential is per request, and a cache would hand one to two callers.
    return [{ pattern: /^\/turn\/credentials$/, methods: { GET: async () => jsonResponse(200, issueTurnCredentials(turn), { 'cache-control': 'no-store' }) } }];
  }

  private refuse(reason: UploadRefused['reason']): FileResponse {
    this.metrics.rejected(reason);
    // Upstream answers both an empty and an oversized upload with 413.
    return errorResponse(413);
  }

  private notFound(): FileResponse {
    this.metrics.rejected('not_found');
    return errorResponse(404);
  }
}

function describe(record: FileRecord): Record<string, unknown> {
  return { id: record.id, size: record.size, uploaded: record.uploaded, expires: record.expires };
}

function isClientAbort(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === 'ECONNRESET' || code === 'ERR_STREAM_PREMATURE_CLOSE';
}

/** Error name and message only: never request bytes. */
export function errorSummary(err: unknown): string {
  return err instanceof Error ? `${err.name}: ${err.message}` : String(err);
}
