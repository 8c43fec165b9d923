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

/** Covers the sender, the time and the message hashes (each hash is checked against its content). */
export function pushMessagesSigningBytes(
  fromPubkeyEd25519: string,
  timestampMs: string | number | bigint,
  hashes: readonly string[],
): Uint8Array {
  return canonicalBytes(PUSH_MESSAGES_DOMAIN, [fromPubkeyEd25519.toLowerCase(), u64Text(timestampMs), ...hashes]);
}
