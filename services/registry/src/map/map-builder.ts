// Turns node records into the signed network map every node and client follows.
import { common, networkMapHash, networkMapSigningBytes, NO_SWARM_ID, registry } from '@starling/proto';
import type { RegistryIdentity } from '../identity/registry-identity';
import type { NodeRecord } from '../nodes/node-store';
import type { PublishedMap } from './map-store';

/** Map entries ordered by role, then swarm, then key, so equal content gives an equal hash. */
export function mapNodes(active: readonly NodeRecord[]): common.NodeInfo[] {
  return active
    .map((n) => ({
      role: n.role,
      pubkeyEd25519: n.pubkeyEd25519,
      pubkeyX25519: n.pubkeyX25519,
      grpcAddress: n.grpcAddress,
      publicIp: n.publicIp,
      publicPort: n.publicPort,
      swarmId: n.role === common.NodeRole.NODE_ROLE_STORE && n.swarmId !== undefined ? n.swarmId.toString() : NO_SWARM_ID,
      version: n.version,
    }))
    .sort((a, b) => a.role - b.role || compareU64(a.swarmId, b.swarmId) || a.pubkeyEd25519.localeCompare(b.pubkeyEd25519));
}

function compareU64(a: string, b: string): number {
  const x = BigInt(a);
  const y = BigInt(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

export function signMap(nodes: common.NodeInfo[], version: bigint, createdMs: number, identity: RegistryIdentity): PublishedMap {
  const unsigned = { version: version.toString(), createdMs: String(createdMs), nodes, registryPubkey: identity.publicKeyHex };
  const map: registry.NetworkMap = { ...unsigned, signature: Buffer.from(identity.sign(networkMapSigningBytes(unsigned))) };
  return { version, hash: networkMapHash(map), map };
}
