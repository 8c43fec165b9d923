// Network time: every storage response carries `t`, the node's clock in ms. Timestamps and
// signatures use the network's clock, so a skewed local clock does not get requests refused (406).
export class NetworkClock {
  private offsetMs = 0;

  now(): number {
    return Date.now() + this.offsetMs;
  }

  /** Learns from a node's `t` (called with every reply that has one). */
  observe(serverTimeMs: unknown): void {
    if (typeof serverTimeMs === 'number' && Number.isFinite(serverTimeMs) && serverTimeMs > 1e12) {
      this.offsetMs = serverTimeMs - Date.now();
    }
  }

  get offset(): number {
    return this.offsetMs;
  }
}
