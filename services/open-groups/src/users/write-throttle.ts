// Remembers when an activity timestamp was last written, so that a client polling every few
// seconds costs one committed write per minute instead of one per poll. Activity only feeds
// active_users (a count over days), so a timestamp up to `intervalSeconds` old changes nothing.
// Bounded: the least recently written keys are forgotten first (they simply get written again).

export const ACTIVITY_WRITE_INTERVAL_SECONDS = 60;
const DEFAULT_MAX_KEYS = 100_000;

export class WriteThrottle {
  private readonly written = new Map<string, number>();

  constructor(
    private readonly intervalSeconds = ACTIVITY_WRITE_INTERVAL_SECONDS,
    private readonly maxKeys = DEFAULT_MAX_KEYS,
  ) {}

  /** True when `key` has no write recorded within the interval before `now`. */
  due(key: string, now: number): boolean {
    const last = this.written.get(key);
    // A clock that went backwards also writes: the stored value may be newer than ours.
    return last === undefined || now - last >= this.intervalSeconds || now < last;
  }

  /** Records a write that has succeeded. */
  record(key: string, now: number): void {
    this.written.delete(key); // re-insert: Map order is write order, oldest first
    this.written.set(key, now);
    if (this.written.size > this.maxKeys) this.written.delete(this.written.keys().next().value!);
  }

  /** The stored row went away (e.g. deleted by a ban): the next activity must write it again. */
  forget(key: string): void {
    this.written.delete(key);
  }

  get size(): number {
    return this.written.size;
  }
}
