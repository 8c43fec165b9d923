// The bytes a node signs with its Ed25519 key when it announces itself or sends a heartbeat to
// the registry. Nodes sign and the registry verifies with these same functions.
import type { NodeInfo } from './gen/starling/common/v1/common';
import { canonicalBytes, u64Text } from './canonical-bytes';

export const ANNOUNCE_DOMAIN = 'starling.registry.v1.Announce';
export const HEARTBEAT_DOMAIN = 'starling.registry.v1.Heartbeat';

/** Covers everything the node states about itself; swarm_id is the registry's to assign, so it is left out. */
export function announcementSigningBytes(node: NodeInfo, timestampMs: string | number | bigint): Uint8Array {
  return canonicalBytes(ANNOUNCE_DOMAIN, [
    String(node.role),
    node.pubkeyEd25519.toLowerCase(),
    node.pubkeyX25519.toLowerCase(),
    node.grpcAddress,
    node.publicIp,
    String(node.publicPort),
    node.version,
    u64Text(timestampMs),
  ]);
}

export function heartbeatSigningBytes(pubkeyEd25519: string, timestampMs: string | number | bigint): Uint8Array {
  return canonicalBytes(HEARTBEAT_DOMAIN, [pubkeyEd25519.toLowerCase(), u64Text(timestampMs)]);
}
