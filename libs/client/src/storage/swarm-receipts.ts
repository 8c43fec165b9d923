// Swarm members sign what they did (storage-onion.md 1.6, 1.7): a store's hash, an expire's
// updated list and expiry. The client believes a result only when a member of the account's
// swarm signed it with its Ed25519 key, so one lying entry node cannot fake success.
import { fromBase64, fromHex, utf8, verifyEd25519 } from '@starling/crypto';
import { ClientError } from '../network/errors';
import type { SnodeReply } from '../network/onion-client';
import type { ServiceNode } from '../network/service-nodes';
import { requireOk } from './swarm-access';

type MemberResult = Record<string, unknown>;

function memberResults(reply: SnodeReply, what: string, members: readonly ServiceNode[]): Array<[Uint8Array, MemberResult]> {
  const body = requireOk(reply, what);
  const swarm = typeof body.swarm === 'object' && body.swarm !== null ? (body.swarm as Record<string, MemberResult>) : {};
  const known = new Set(members.map((m) => m.ed25519));
  return Object.entries(swarm).flatMap(([ed25519, result]) => {
    if (!known.has(ed25519.toLowerCase()) || typeof result !== 'object' || result === null || result.failed) return [];
    try {
      return [[fromHex(ed25519, 32), result] as [Uint8Array, MemberResult]];
    } catch {
      return [];
    }
  });
}

function signedBy(result: MemberResult, key: Uint8Array, text: string): boolean {
  if (typeof result.signature !== 'string') return false;
  try {
    return verifyEd25519(fromBase64(result.signature), utf8(text), key);
  } catch {
    return false;
  }
}

/** How many swarm members signed that they hold `hash` (the hash we computed ourselves); at least one, or ClientError. */
export function confirmStored(reply: SnodeReply, hash: string, members: readonly ServiceNode[], what: string): number {
  const confirmed = memberResults(reply, what, members).filter(([key, r]) => r.hash === hash && signedBy(r, key, hash)).length;
  if (confirmed === 0) throw new ClientError(`${what} failed: no member of the swarm confirmed storing it`);
  return confirmed;
}

/**
 * The expiry the swarm applied to `hashes`, from the members whose signature over
 * account ‖ expiry ‖ requested hashes ‖ updated hashes ‖ (hash ‖ expiry of unchanged ones) holds.
 */
export function confirmExpired(reply: SnodeReply, accountId: string, hashes: readonly string[], members: readonly ServiceNode[], what: string): number {
  const applied = memberResults(reply, what, members).flatMap(([key, r]) => {
    if (typeof r.expiry !== 'number' || !Array.isArray(r.updated)) return [];
    const unchanged = typeof r.unchanged === 'object' && r.unchanged !== null ? (r.unchanged as Record<string, number>) : {};
    const unchangedText = Object.keys(unchanged).sort().map((h) => `${h}${unchanged[h]}`).join('');
    const text = `${accountId}${r.expiry}${hashes.join('')}${(r.updated as string[]).join('')}${unchangedText}`;
    return signedBy(r, key, text) ? [r.expiry] : [];
  });
  if (applied.length === 0) throw new ClientError(`${what} failed: no member of the swarm confirmed the new expiry`);
  return Math.max(...applied);
}
