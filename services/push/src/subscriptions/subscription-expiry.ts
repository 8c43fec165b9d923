// Subscriptions expire 14 days after their signature (apps re-register every 7): a timer deletes
// the lapsed rows, every 30 s as upstream. Each replica runs it; the DELETE is idempotent.
import { Inject, Injectable, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { LOGGER, type Logger } from '@starling/platform';
import { SubscriptionStore } from './subscription-store';

export const EXPIRY_INTERVAL_MS = 30_000;

@Injectable()
export class SubscriptionExpiry implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly store: SubscriptionStore,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => {
      this.running = this.dropExpired();
    }, EXPIRY_INTERVAL_MS);
    this.timer.unref();
  }

  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  /** Returns how many subscriptions were dropped. */
  async dropExpired(nowMs = Date.now()): Promise<number> {
    try {
      return await this.store.dropExpired(Math.floor(nowMs / 1000));
    } catch (err) {
      this.logger.error({ err }, 'dropping expired subscriptions failed');
      return 0;
    }
  }
}
