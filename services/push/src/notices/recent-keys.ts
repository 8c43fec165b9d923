// A set that forgets: keys added are remembered for at least one window and at most two (two
// generations, the older dropped at each rotation), so memory is bounded by two windows of traffic.
export class RecentKeys {
  private current = new Set<string>();
  private previous = new Set<string>();
  private rotateAt: number;

  constructor(
    private readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {
    this.rotateAt = now() + windowMs;
  }

  has(key: string): boolean {
    this.rotate();
    return this.current.has(key) || this.previous.has(key);
  }

  add(key: string): void {
    this.rotate();
    this.current.add(key);
  }

  private rotate(): void {
    const now = this.now();
    if (now < this.rotateAt) return;
    this.previous = now < this.rotateAt + this.windowMs ? this.current : new Set();
    this.current = new Set();
    this.rotateAt = now + this.windowMs;
  }
}
