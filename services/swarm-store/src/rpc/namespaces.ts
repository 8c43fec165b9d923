// Namespace rules (storage-onion 1.4). Namespaces are int16; the sign and remainder decide who
// may store and who may read without signing.

/** ns % 10 == 0: anyone may store without auth (an inbox). */
export function isPublicInbox(ns: number): boolean {
  return ns % 10 === 0;
}

/** Negative ns with (-ns) % 20 == 1: the owner writes, anyone reads. */
export function isPublicOutbox(ns: number): boolean {
  return ns < 0 && -ns % 20 === 1;
}

/** -10, legacy closed groups: readable without auth (deprecated upstream, kept for clients). */
export const LEGACY_CLOSED_GROUP = -10;

/** Negative ns with (-ns) % 100 == 11: a revoked subaccount may still read here. */
export function isUnrevocable(ns: number): boolean {
  return ns < 0 && -ns % 100 === 11;
}

export function retrieveNeedsAuth(ns: number): boolean {
  return !isPublicOutbox(ns) && ns !== LEGACY_CLOSED_GROUP;
}

export const TTL_MIN_MS = 10_000;
export const TTL_MAX_PUBLIC_MS = 14 * 86_400_000;
export const TTL_MAX_PRIVATE_MS = 30 * 86_400_000;

export function maxTtlMs(ns: number): number {
  return isPublicInbox(ns) ? TTL_MAX_PUBLIC_MS : TTL_MAX_PRIVATE_MS;
}

/** Namespace as it appears in signed strings and hashes: "" for 0, "all", else the decimal. */
export function namespaceSigText(ns: number | 'all'): string {
  return ns === 0 ? '' : String(ns);
}
