// Where an account's messages are stored, from the registry's network map: the storage nodes
// (role store) grouped by swarm, and the swarm an account maps to (storage-onion 2.1, the same
// rule the nodes apply). Relays and nodes in no swarm are left out.
import { closestSwarm, swarmSpacePosition } from '@starling/crypto';
import { common, NO_SWARM_ID, type registry } from '@starling/proto';

export interface StorageNode {
  /** Hex Ed25519 key (lower case). */
  ed25519: string;
  grpcAddress: string;
  swarmId: bigint;
}

const NO_SWARM = BigInt(NO_SWARM_ID);

export class SwarmMap {
  private readonly swarms = new Map<bigint, StorageNode[]>();
  private readonly swarmIds: bigint[];

  constructor(nodes: readonly StorageNode[], readonly version = 0n) {
    for (const node of nodes) {
      if (node.swarmId === NO_SWARM) continue;
      const members = this.swarms.get(node.swarmId) ?? [];
      members.push(node);
      this.swarms.set(node.swarmId, members);
    }
    this.swarmIds = [...this.swarms.keys()];
  }

  static fromNetworkMap(map: registry.NetworkMap): SwarmMap {
    const nodes = map.nodes
      .filter((n) => n.role === common.NodeRole.NODE_ROLE_STORE)
      .map((n) => ({ ed25519: n.pubkeyEd25519.toLowerCase(), grpcAddress: n.grpcAddress, swarmId: BigInt(n.swarmId) }));
    return new SwarmMap(nodes, BigInt(map.version));
  }

  /** The swarm holding a 33-byte account; undefined while there is none. */
  swarmOf(account: Uint8Array): bigint | undefined {
    return this.swarmIds.length === 0 ? undefined : closestSwarm(swarmSpacePosition(account), this.swarmIds);
  }

  members(swarmId: bigint | undefined): readonly StorageNode[] {
    return swarmId === undefined ? [] : (this.swarms.get(swarmId) ?? []);
  }

  /** Every storage node placed in a swarm. */
  nodes(): StorageNode[] {
    return [...this.swarms.values()].flat();
  }
}
