// Deletes expired files (rows and bytes) on an interval. Replicas may all run it: each batch
// skips rows another replica holds. A run never overlaps the previous one. It starts with the
// service (one pass first, so a database that cannot be cleaned fails the start) and stops
// taking work before the service drains.
import type { BeforeApplicationShutdown, OnApplicationBootstrap } from '@nestjs/common';
import type { Logger } from '@starling/platform';
import type { BlobStore } from './blob-store';
import type { FileStore } from './file-store';

const BATCH = 200;
/** Staged uploads older than this were abandoned by a crashed process. */
const ABANDONED_UPLOAD_MS = 60 * 60 * 1000;

export interface ExpiryReport {
  files: number;
  bytes: number;
}

export interface ExpiryObserver {
  expired(files: number, bytes: number): void;
  stored(files: number, bytes: number): void;
}

export class ExpiryJob implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<ExpiryReport> | undefined;

  constructor(
    private readonly store: FileStore,
    private readonly blobs: BlobStore,
    private readonly observer: ExpiryObserver,
    private readonly log: Logger,
    private readonly intervalMs: number,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.runOnce();
    this.start();
  }

  beforeApplicationShutdown(): Promise<void> {
    return this.stop();
  }

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.runOnce().catch(() => undefined), this.intervalMs);
    this.timer.unref();
  }

  /** One full pass; joins the pass in progress if there is one. */
  runOnce(): Promise<ExpiryReport> {
    this.running ??= this.pass().finally(() => (this.running = undefined));
    return this.running;
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.running?.catch(() => undefined);
  }

  private async pass(): Promise<ExpiryReport> {
    const total = { files: 0, bytes: 0 };
    try {
      for (;;) {
        const batch = await this.store.deleteExpired(BATCH);
        total.files += batch.files;
        total.bytes += batch.bytes;
        if (batch.files < BATCH) break;
      }
      await this.blobs.sweepAbandoned(ABANDONED_UPLOAD_MS);
      const stored = await this.store.totals();
      this.observer.expired(total.files, total.bytes);
      this.observer.stored(stored.files, stored.bytes);
      if (total.files > 0) this.log.info({ files: total.files, bytes: total.bytes }, 'expired files deleted');
      return total;
    } catch (err) {
      this.log.error({ err }, 'expiry pass failed');
      throw err;
    }
  }
}
