// Sends notices through their providers with at most `concurrency` attempts in flight. A retryable
// failure waits (exponential backoff with jitter, or the service's Retry-After) outside the
// concurrency limit and is tried again until maxAttempts or the message's expiry; a device the
// service calls unregistered has its subscriptions dropped. The queue is bounded: past maxQueued,
// new notices are counted as overflow and dropped rather than growing memory without end.
import type { DeliveryMetrics } from '../metrics';
import type { OutgoingNotice, PushProvider, ServiceTarget } from './provider';

export interface DeliveryJob {
  provider: PushProvider;
  target: ServiceTarget;
  notice: OutgoingNotice;
}

export interface DeliveryQueueOptions {
  concurrency: number;
  maxQueued: number;
  maxAttempts: number;
  /** First retry delay; doubles each attempt up to maxBackoffMs. */
  baseBackoffMs: number;
  maxBackoffMs: number;
  metrics: DeliveryMetrics;
  /** Called once per job whose device the provider called unregistered. */
  onUnregistered: (service: string, target: ServiceTarget) => Promise<void>;
  now?: () => number;
  random?: () => number;
}

interface Pending extends DeliveryJob {
  attempt: number;
}

export class DeliveryQueue {
  private readonly waiting: Pending[] = [];
  private readonly retryTimers = new Set<NodeJS.Timeout>();
  private inFlight = 0;
  private closed = false;
  private idleWaiters: Array<() => void> = [];
  private readonly now: () => number;
  private readonly random: () => number;

  constructor(private readonly options: DeliveryQueueOptions) {
    this.now = options.now ?? Date.now;
    this.random = options.random ?? Math.random;
  }

  /** False when the notice was dropped (queue full or closed). */
  enqueue(job: DeliveryJob): boolean {
    if (this.closed || this.waiting.length >= this.options.maxQueued) {
      this.options.metrics.delivery(job.provider.service, 'overflow');
      return false;
    }
    this.waiting.push({ ...job, attempt: 0 });
    this.pump();
    return true;
  }

  /** Attempts running or waiting to run (retries waiting for their backoff included). */
  get pending(): number {
    return this.waiting.length + this.inFlight + this.retryTimers.size;
  }

  /** Resolves when nothing is queued, running or waiting to be retried. */
  idle(): Promise<void> {
    if (this.pending === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Stops taking notices, cancels waiting retries and lets running attempts finish. */
  async close(): Promise<void> {
    this.closed = true;
    for (const timer of this.retryTimers) clearTimeout(timer);
    this.retryTimers.clear();
    this.waiting.length = 0;
    await this.idle();
  }

  private pump(): void {
    while (this.inFlight < this.options.concurrency && this.waiting.length > 0) {
      const job = this.waiting.shift()!;
      this.inFlight++;
      void this.attempt(job).finally(() => {
        this.inFlight--;
        this.pump();
        this.checkIdle();
      });
    }
  }

  private async attempt(job: Pending): Promise<void> {
    const service = job.provider.service;
    const metrics = this.options.metrics;
    if (job.notice.expiryMs <= this.now()) {
      metrics.delivery(service, 'expired');
      return;
    }
    job.attempt++;
    const started = process.hrtime.bigint();
    let outcome;
    try {
      outcome = await job.provider.send(job.target, job.notice);
    } catch (err) {
      outcome = { kind: 'retry' as const, detail: (err as Error).message };
    }
    metrics.deliveryDuration(service, Number(process.hrtime.bigint() - started) / 1e9);
    switch (outcome.kind) {
      case 'delivered':
        metrics.delivery(service, 'delivered');
        return;
      case 'rejected':
        metrics.delivery(service, 'rejected');
        return;
      case 'unregistered':
        metrics.delivery(service, 'unregistered');
        await this.options.onUnregistered(service, job.target).catch(() => undefined);
        return;
      case 'retry':
        if (job.attempt >= this.options.maxAttempts || this.closed) {
          metrics.delivery(service, 'exhausted');
          return;
        }
        metrics.delivery(service, 'retried');
        this.retryLater(job, this.backoff(job.attempt, outcome.retryAfterMs));
    }
  }

  /** base * 2^(attempt-1), capped, scaled by a random factor in [0.5, 1); Retry-After wins if longer. */
  private backoff(attempt: number, retryAfterMs?: number): number {
    const { baseBackoffMs, maxBackoffMs } = this.options;
    const exponential = Math.min(maxBackoffMs, baseBackoffMs * 2 ** (attempt - 1)) * (0.5 + this.random() / 2);
    return Math.min(maxBackoffMs, Math.max(exponential, retryAfterMs ?? 0));
  }

  private retryLater(job: Pending, delayMs: number): void {
    const timer = setTimeout(() => {
      this.retryTimers.delete(timer);
      if (this.closed) return this.checkIdle();
      this.waiting.push(job);
      this.pump();
    }, delayMs);
    timer.unref();
    this.retryTimers.add(timer);
  }

  private checkIdle(): void {
    if (this.pending > 0) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }
}
