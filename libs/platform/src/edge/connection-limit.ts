// How many connections one edge may hold open. Each costs a file descriptor and some memory; past
// the process's open-file limit, accept() fails and so does everything else that needs a
// descriptor (database connections, gRPC channels, log files). The edge stops short of that:
// connections beyond its cap are closed at once, and the service keeps answering the ones it has.
import { readFileSync } from 'fs';

/** The most connections an edge holds by default, whatever the descriptor limit allows. */
export const DEFAULT_MAX_CONNECTIONS = 10_000;
/** Descriptors left for everything that is not a client connection. */
export const RESERVED_DESCRIPTORS = 512;

/** The soft open-file limit of this process (Linux /proc), or undefined where it cannot be read. */
export function openFileLimit(limitsText = readLimits()): number | undefined {
  const line = limitsText?.split('\n').find((l) => l.startsWith('Max open files'));
  const soft = line?.slice('Max open files'.length).trim().split(/\s+/)[0];
  if (soft === undefined) return undefined;
  if (soft === 'unlimited') return Infinity;
  const n = Number(soft);
  return Number.isInteger(n) && n > 0 ? n : undefined;
}

/** DEFAULT_MAX_CONNECTIONS, lowered to leave RESERVED_DESCRIPTORS of the open-file limit free. */
export function defaultMaxConnections(limit = openFileLimit()): number {
  if (limit === undefined) return DEFAULT_MAX_CONNECTIONS;
  return Math.max(64, Math.min(DEFAULT_MAX_CONNECTIONS, limit - RESERVED_DESCRIPTORS));
}

function readLimits(): string | undefined {
  try {
    return readFileSync('/proc/self/limits', 'utf8');
  } catch {
    return undefined;
  }
}
