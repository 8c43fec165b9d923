// Where an account lives (storage-onion.md 2.1): its position in the u64 "swarm space" and the
// swarm whose id is closest to that position. BigInt throughout: ids exceed 2^53.
import { CryptoError } from './errors';

const U64 = 1n << 64n;
const U64_MAX = U64 - 1n;

/** The swarm id of nodes that belong to no swarm (relays); never a swarm an account maps to. */
export const NO_SWARM_ID = U64_MAX;

/**
 * XOR of the four big-endian u64 words of the 32 key bytes. Accepts the prefixed 33-byte account
 * id (the prefix byte plays no part) or the bare 32-byte key.
 */
export function swarmSpacePosition(accountKey: Uint8Array): bigint {
  if (!(accountKey instanceof Uint8Array) || (accountKey.length !== 33 && accountKey.length !== 32)) {
    throw new CryptoError('BAD_LENGTH', 'swarm position needs a 33-byte account id or a 32-byte key');
  }
  const key = accountKey.length === 33 ? accountKey.subarray(1) : accountKey;
  const view = new DataView(key.buffer, key.byteOffset, 32);
  let position = 0n;
  for (let at = 0; at < 32; at += 8) position ^= view.getBigUint64(at, false);
  return position;
}

/**
 * The swarm responsible for `position`: the nearest id in either direction around the u64 ring.
 * A tie goes to the lower neighbour (across the wrap gap: to the highest swarm).
 */
export function closestSwarm(position: bigint, swarmIds: readonly bigint[]): bigint {
  checkU64(position, 'swarm position');
  if (swarmIds.length === 0) throw new CryptoError('MALFORMED', 'closest swarm: there are no swarms');
  swarmIds.forEach((id) => checkU64(id, 'swarm id'));
  const sorted = [...swarmIds].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  if (sorted.length === 1) return sorted[0];

  let rightIndex = sorted.findIndex((id) => id >= position);
  if (rightIndex === -1) rightIndex = 0; // wrap to the lowest id
  const right = sorted[rightIndex];
  const left = sorted[(rightIndex + sorted.length - 1) % sorted.length];
  const toRight = (right - position + U64) % U64;
  const toLeft = (position - left + U64) % U64;
  return toRight < toLeft ? right : left;
}

function checkU64(value: bigint, what: string): void {
  if (typeof value !== 'bigint' || value < 0n || value > U64_MAX) {
    throw new CryptoError('MALFORMED', `${what} must be a bigint in the u64 range`);
  }
}
