// Who is in which swarm, from the registry's network map: the swarm an account maps to, a node's
// own swarm and its peers. Pure lookups over one immutable map snapshot; a node swaps in a new
// snapshot when the registry publishes one. Storage nodes check requests against it; every node
// answers get_swarm and 421s from it.
import { closestSwarm, swarmSpacePosition } from '@starling/crypto';
import { common, NO_SWARM_ID } from '@starling/proto';

export interface SwarmMember {
  ed25519: string;
  x25519: string;
  grpcAddress: string;
  publicIp: string;
  publicPort: number;
  swarmId: bigint;
}

const NO_SWARM = BigInt(NO_SWARM_ID);

export class SwarmView {
  readonly swarms: ReadonlyMap<bigint, readonly SwarmMember[]>;
  readonly nodes: ReadonlyMap<string, SwarmMember>;
  private readonly swarmIds: bigint[];

  constructor(
    /** Hex Ed25519 key of this node. */
    readonly self: string,
    nodes: readonly SwarmMember[],
    /** Map version it came from (0 = not from a registry). */
    readonly version: bigint = 0n,
  ) {
    const swarms = new Map<bigint, SwarmMember[]>();
    const byKey = new Map<string, SwarmMember>();
    for (const n of nodes) {
      byKey.set(n.ed25519, n);
      if (n.swarmId === NO_SWARM) continue;
      const list = swarms.get(n.swarmId) ?? [];
      list.push(n);
      swarms.set(n.swarmId, list);
    }
    for (const list of swarms.values()) list.sort((a, b) => (a.ed25519 < b.ed25519 ? -1 : 1));
    this.swarms = swarms;
    this.nodes = byKey;
    this.swarmIds = [...swarms.keys()];
  }

  /** Storage nodes of a registry map (relays and other roles are not swarm members). */
  static fromNodeInfos(self: string, nodes: readonly common.NodeInfo[], version: bigint): SwarmView {
    const members = nodes
      .filter((n) => n.role === common.NodeRole.NODE_ROLE_STORE)
      .map((n) => ({
        ed25519: n.pubkeyEd25519.toLowerCase(),
        x25519: n.pubkeyX25519.toLowerCase(),
        grpcAddress: n.grpcAddress,
        publicIp: n.publicIp,
        publicPort: n.publicPort,
        swarmId: BigInt(n.swarmId),
      }));
    return new SwarmView(self, members, version);
  }

  /** This node's swarm, or undefined when the map does not (yet) place it in one. */
  get mySwarmId(): bigint | undefined {
    const me = this.nodes.get(this.self);
    return me && me.swarmId !== NO_SWARM ? me.swarmId : undefined;
  }

  get hasSwarms(): boolean {
    return this.swarmIds.length > 0;
  }

  /** The swarm an account (33-byte id) belongs to; undefined when no swarm exists. */
  swarmOf(accountId: Uint8Array): bigint | undefined {
    if (this.swarmIds.length === 0) return undefined;
    return closestSwarm(swarmSpacePosition(accountId), this.swarmIds);
  }

  members(swarmId: bigint | undefined): readonly SwarmMember[] {
    return swarmId === undefined ? [] : this.swarms.get(swarmId) ?? [];
  }

  /** True when the account belongs to this node's swarm. */
  isMine(accountId: Uint8Array): boolean {
    const mine = this.mySwarmId;
    return mine !== undefined && this.swarmOf(accountId) === mine;
  }

  /** The other members of this node's swarm. */
  peers(): SwarmMember[] {
    return this.members(this.mySwarmId).filter((m) => m.ed25519 !== this.self);
  }
}

/** A view in which this node alone forms swarm 0 (a node without a registry). */
export function soloView(identity: { ed25519Hex: string; x25519Hex: string }, at: Pick<SwarmMember, 'grpcAddress' | 'publicIp' | 'publicPort'>): SwarmView {
  return new SwarmView(identity.ed25519Hex, [{ ed25519: identity.ed25519Hex, x25519: identity.x25519Hex, ...at, swarmId: 0n }]);
}

/** Swarm id as get_swarm writes it: lower-case hex, no 0x, 16 digits. */
export function swarmIdHex(id: bigint): string {
  return id.toString(16).padStart(16, '0');
}
