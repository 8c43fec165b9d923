// X-FS-TTL: the lifetime, in whole seconds, a client asks for on upload or extend. Upstream
// clamps what it accepts into the server's bounds rather than refusing it; text that is not a
// number is a bad request.
export interface TtlPolicy {
  defaultTtlSeconds: number;
  minTtlSeconds: number;
  maxTtlSeconds: number;
}

export class BadTtl extends Error {
  override name = 'BadTtl';
}

/** The TTL to apply: the header clamped into [min, max], or `fallback` without a header. */
export function resolveTtl(header: string | undefined, policy: TtlPolicy, fallback: number): number {
  if (header === undefined) return fallback;
  const text = header.trim();
  if (!/^\d{1,15}$/.test(text)) throw new BadTtl('X-FS-TTL must be a whole number of seconds');
  return Math.min(policy.maxTtlSeconds, Math.max(policy.minTtlSeconds, Number(text)));
}
