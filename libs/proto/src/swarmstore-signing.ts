// The bytes a storage node signs when it forwards a recursive request to a swarm peer or pushes
// messages to one. The sending and the receiving node use these same functions.
import { canonicalBytes, u64Text } from './canonical-bytes';

export const FORWARDED_RPC_DOMAIN = 'starling.swarmstore.v1.ForwardedRpc';
export const PUSH_MESSAGES_DOMAIN = 'starling.swarmstore.v1.PushMessages';

export function forwardedRpcSigningBytes(
  fromPubkeyEd25519: string,
  method: string,
  paramsJson: string,
  receivedMs: string | number | bigint,
): Uint8Array {
  return canonicalBytes(FORWARDED_RPC_DOMAIN, [fromPubkeyEd25519.toLowerCase(), method, paramsJson, u64Text(receivedMs)]);
}

/** A pushed revocation as it is signed: the account, the token and its time. */
export interface SignedRevocation {
  pubkey: Uint8Array;
  token: Uint8Array;
  revokedMs: string | number | bigint;
}

/**
 * Covers the sender, the time, the message hashes (each hash is checked against its content) and
 * the revocations, if any (each one field `revocation:<account hex>:<token hex>:<ms>`; a push
 * without revocations signs exactly what it signed before they existed).
 */
export function pushMessagesSigningBytes(
  fromPubkeyEd25519: string,
  timestampMs: string | number | bigint,
  hashes: readonly string[],
  revocations: readonly SignedRevocation[] = [],
): Uint8Array {
  const revoked = revocations.map((r) => `revocation:${Buffer.from(r.pubkey).toString('hex')}:${Buffer.from(r.token).toString('hex')}:${u64Text(r.revokedMs)}`);
  return canonicalBytes(PUSH_MESSAGES_DOMAIN, [fromPubkeyEd25519.toLowerCase(), u64Text(timestampMs), ...hashes, ...revoked]);
}
