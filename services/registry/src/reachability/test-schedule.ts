// When a node is tested next (storage-onion 2.4): about every N(mean, sd); a node that failed
// waits backoff × failures longer, capped, so a dead node costs little and a flapping one is
// retried soon.

export interface TestTimings {
  intervalMs: number;
  jitterMs: number;
  backoffMs: number;
  maxIntervalMs: number;
}

/** Standard normal draw (Box–Muller). Scheduling needs no cryptographic randomness. */
export function standardNormal(uniform: () => number = Math.random): number {
  const u = 1 - uniform(); // (0, 1]: log(0) would be -Infinity
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * uniform());
}

export function nextTestDelay(failures: number, t: TestTimings, normal: () => number = standardNormal): number {
  const regular = Math.max(t.intervalMs + t.jitterMs * normal(), t.intervalMs / 10);
  return Math.min(t.backoffMs * failures + regular, t.maxIntervalMs);
}
