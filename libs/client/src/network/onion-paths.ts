// Onion paths as Session clients build them (client.md 7): two paths of three relays, guards
// tested first with a direct get_swarm, the other hops never contacted directly (that would show
// them the client's address), one node per /24 where the network allows, failure strikes.
import { randomInt } from 'crypto';
import { ClientError } from './errors';
import { ServiceNode } from './service-nodes';

export const PATH_HOPS = 3;
export const PATH_COUNT = 2;
/** Failures before a path's guard, or a non-guard relay, is dropped. */
export const FAILURE_THRESHOLD = 3;
const GUARD_TEST_ROUNDS = 6;

export interface OnionPath {
  /** Guard first, exit last. */
  nodes: ServiceNode[];
}

export type GuardTest = (candidate: ServiceNode) => Promise<boolean>;

export class OnionPaths {
  private pool: ServiceNode[] = [];
  private paths: OnionPath[] = [];
  private pathFailures = new Map<string, number>();
  private nodeFailures = new Map<string, number>();

  constructor(
    private readonly testGuard: GuardTest,
    private readonly hops = PATH_HOPS,
    private readonly pathCount = PATH_COUNT,
  ) {}

  /** A new relay pool (from the seed) resets the strike counters, as upstream. */
  setPool(relays: ServiceNode[]): void {
    this.pool = relays.filter((n) => n.role === 'relay');
    this.pathFailures.clear();
    this.nodeFailures.clear();
    const known = new Set(this.pool.map((n) => n.ed25519));
    this.paths = this.paths.filter((p) => p.nodes.every((n) => known.has(n.ed25519)));
  }

  get current(): readonly OnionPath[] {
    return this.paths;
  }

  /** A random path, avoiding paths whose guard is in `avoid`; builds the missing ones first. */
  async getPath(avoid: ReadonlySet<string> = new Set()): Promise<OnionPath> {
    if (this.paths.length < this.pathCount) await this.build();
    if (this.paths.length === 0) throw new ClientError('no onion path could be built: no relay answered the guard test');
    const preferred = this.paths.filter((p) => !avoid.has(p.nodes[0].ed25519));
    const choices = preferred.length > 0 ? preferred : this.paths;
    return choices[randomInt(choices.length)];
  }

  /** A non-200 from the path itself: strike the guard's path and every non-guard relay on it. */
  reportPathFailure(path: OnionPath): void {
    const guard = path.nodes[0].ed25519;
    const failures = (this.pathFailures.get(guard) ?? 0) + 1;
    this.pathFailures.set(guard, failures);
    for (const node of path.nodes.slice(1)) {
      const strikes = (this.nodeFailures.get(node.ed25519) ?? 0) + 1;
      this.nodeFailures.set(node.ed25519, strikes);
      if (strikes >= FAILURE_THRESHOLD) this.dropNode(node.ed25519);
    }
    if (failures >= FAILURE_THRESHOLD) this.dropNode(guard);
  }

  /** The guard itself did not answer: nothing else on the path was reached. */
  reportGuardFailure(path: OnionPath): void {
    const guard = path.nodes[0].ed25519;
    const failures = (this.pathFailures.get(guard) ?? 0) + 1;
    this.pathFailures.set(guard, failures);
    if (failures >= FAILURE_THRESHOLD) this.dropNode(guard);
  }

  /**
   * Removes a relay from the pool ("Next node not found", or struck out). A path that lost its
   * guard is dropped; a path that lost another hop is patched with an untested replacement.
   */
  dropNode(ed25519: string): void {
    this.pool = this.pool.filter((n) => n.ed25519 !== ed25519);
    this.nodeFailures.delete(ed25519);
    const kept: OnionPath[] = [];
    for (const path of this.paths) {
      const at = path.nodes.findIndex((n) => n.ed25519 === ed25519);
      if (at === -1) kept.push(path);
      else if (at > 0) {
        const replacement = this.pickHops(1, this.guardKeys(), path.nodes.filter((_, i) => i !== at))[0];
        if (replacement) kept.push({ nodes: path.nodes.map((n, i) => (i === at ? replacement : n)) });
      } else this.pathFailures.delete(ed25519);
    }
    this.paths = kept;
  }

  private async build(): Promise<void> {
    const guards = this.paths.map((p) => p.nodes[0]);
    const candidates = shuffle(this.pool.filter((n) => !guards.some((g) => g.ed25519 === n.ed25519)));
    for (let round = 0; round < GUARD_TEST_ROUNDS && guards.length < this.pathCount && candidates.length > 0; round++) {
      const batch = candidates.splice(0, 2);
      const results = await Promise.all(batch.map((c) => this.testGuard(c).catch(() => false)));
      batch.forEach((c, i) => results[i] && guards.length < this.pathCount && guards.push(c));
    }
    for (const guard of guards) {
      if (this.paths.some((p) => p.nodes[0].ed25519 === guard.ed25519)) continue;
      // Paths may share middle relays, never a guard (as desktop clients build them).
      const hops = this.pickHops(this.hops - 1, new Set(guards.map((g) => g.ed25519)), [guard]);
      if (hops.length === this.hops - 1) this.paths.push({ nodes: [guard, ...hops] });
    }
  }

  /** Random relays not in `exclude`, at most one per /24 with `alongside` when the pool allows. */
  private pickHops(count: number, exclude: Set<string>, alongside: ServiceNode[]): ServiceNode[] {
    const available = shuffle(this.pool.filter((n) => !exclude.has(n.ed25519) && !alongside.some((a) => a.ed25519 === n.ed25519)));
    const chosen: ServiceNode[] = [];
    const subnets = new Set(alongside.map((n) => subnet24(n.ip)));
    for (const node of available) {
      if (chosen.length === count) break;
      if (subnets.has(subnet24(node.ip))) continue;
      chosen.push(node);
      subnets.add(subnet24(node.ip));
    }
    // Too few distinct subnets (a small or local network): fill with what is left.
    for (const node of available) {
      if (chosen.length === count) break;
      if (!chosen.includes(node)) chosen.push(node);
    }
    return chosen;
  }

  private guardKeys(): Set<string> {
    return new Set(this.paths.map((p) => p.nodes[0].ed25519));
  }
}

export function subnet24(ip: string): string {
  return ip.split('.').slice(0, 3).join('.');
}

function shuffle<T>(items: T[]): T[] {
  const out = items.slice();
  for (let i = out.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}
