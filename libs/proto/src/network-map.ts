// The bytes the registry signs for a network map, and the map hash that stands in for the block
// hash of the upstream seed API (`poll_block_hash` / `unchanged`). Watchers verify maps with the
// same function the registry signs them with.
import { createHash } from 'crypto';
import type { NetworkMap } from './gen/starling/registry/v1/registry';
import { canonicalBytes, u64Text } from './canonical-bytes';

export const NETWORK_MAP_DOMAIN = 'starling.registry.v1.NetworkMap';

/** Everything in the map except the signature itself, nodes in the order the map lists them. */
export function networkMapSigningBytes(map: Omit<NetworkMap, 'signature'>): Uint8Array {
  const fields = [u64Text(map.version), u64Text(map.createdMs), map.registryPubkey.toLowerCase(), String(map.nodes.length)];
  for (const n of map.nodes) {
    fields.push(
      String(n.role),
      n.pubkeyEd25519.toLowerCase(),
      n.pubkeyX25519.toLowerCase(),
      n.grpcAddress,
      n.publicIp,
      String(n.publicPort),
      u64Text(n.swarmId),
      n.version,
    );
  }
  return canonicalBytes(NETWORK_MAP_DOMAIN, fields);
}

/**
 * Hex SHA-256 of the map's node list only (not version or time): two versions with the same
 * nodes and swarms hash alike, so a client polling with the hash learns "unchanged".
 */
export function networkMapHash(map: Pick<NetworkMap, 'nodes'>): string {
  return createHash('sha256')
    .update(networkMapSigningBytes({ version: '0', createdMs: '0', registryPubkey: '', nodes: map.nodes }))
    .digest('hex');
}
