// Transfers that barely move. Node cuts a request only at its whole-request deadline and never
// cuts an answer the client does not read: a client trickling its body a byte a second, or
// pipelining requests and reading nothing, holds its connection (and a slot of the edge's
// connection cap, and the buffered answer) for as long as it likes, at almost no cost to itself.
// The edge sweeps the transfers in progress once a second and cuts any that moved less than a
// floor rate over its last window: holding connections open then costs bandwidth.

export interface TransferPace {
  /** The least a transfer must move, on average over each window (0: no floor). */
  minBytesPerSecond: number;
  /** The window: a transfer is judged once per window, never in its first one. */
  windowMs: number;
}

/** Request bodies: a short body arrives whole well within the first window. */
export const DEFAULT_BODY_PACE: TransferPace = { minBytesPerSecond: 1024, windowMs: 5_000 };
/** Answers: longer windows, as a mobile link may stall a while and recover. */
export const DEFAULT_ANSWER_PACE: TransferPace = { minBytesPerSecond: 1024, windowMs: 15_000 };

/** One transfer being watched. */
export interface WatchedTransfer {
  /** The transfer is over (complete, refused, or its connection is gone). */
  done(): void;
}

interface Watched {
  pace: TransferPace;
  /** Bytes moved so far (never decreasing). */
  moved: () => number;
  windowStartMs: number;
  windowStartBytes: number;
  onStalled: () => void;
}

const NOTHING_TO_WATCH: WatchedTransfer = { done: () => undefined };

export class TransferSweep {
  private readonly watched = new Set<Watched>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly intervalMs = 1_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** Watches a transfer whose progress `moved()` reports; `onStalled` runs (once) if it falls below the floor. */
  watch(pace: TransferPace, moved: () => number, onStalled: () => void): WatchedTransfer {
    if (pace.minBytesPerSecond <= 0) return NOTHING_TO_WATCH;
    const w: Watched = { pace, moved, windowStartMs: this.now(), windowStartBytes: moved(), onStalled };
    this.watched.add(w);
    // A sweep runs only while something is watched: an idle edge keeps no timer.
    this.timer ??= setInterval(() => this.sweep(), this.intervalMs).unref();
    return { done: () => this.forget(w) };
  }

  /** Transfers watched now. */
  get size(): number {
    return this.watched.size;
  }

  sweep(): void {
    const now = this.now();
    for (const w of this.watched) {
      const elapsed = now - w.windowStartMs;
      if (elapsed < w.pace.windowMs) continue;
      const bytes = w.moved();
      if ((bytes - w.windowStartBytes) * 1000 < w.pace.minBytesPerSecond * elapsed) {
        this.forget(w);
        w.onStalled();
      } else {
        w.windowStartMs = now;
        w.windowStartBytes = bytes;
      }
    }
  }

  close(): void {
    this.watched.clear();
    this.stopTimer();
  }

  private forget(w: Watched): void {
    this.watched.delete(w);
    if (this.watched.size === 0) this.stopTimer();
  }

  private stopTimer(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }
}
