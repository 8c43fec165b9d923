// Swarm formation with the rules oxend applies per block (storage-onion 2.2), written as a pure
// step: current assignment + newly active nodes in, new assignment out. The caller removes
// departed nodes from their swarms before calling. Existing members stay where they are unless
// a rule needs them elsewhere (a starving swarm, a new swarm from excess, a dissolved swarm), so
// the data a step makes storage nodes move stays bounded.

import type { RandomSource } from './random-source';

/** 2^64 - 1: relays and nodes without a swarm. Never a real swarm id. */
export const UNASSIGNED_SWARM_ID = (1n << 64n) - 1n;
/** Largest id a swarm may take. */
export const MAX_SWARM_ID = UNASSIGNED_SWARM_ID - 1n;

export interface SwarmRules {
  /** Below this a swarm is starving: it takes members from rich swarms or is dissolved (upstream 5). */
  minSize: number;
  /** Size of a new swarm (upstream 7). */
  targetSize: number;
  /**
   * Extra excess per existing swarm before another swarm is split off (upstream IDEAL_SWARM_MARGIN
   * 2). A small local network uses 1, so that 6 nodes with sizes 2/3 form two swarms of 3.
   */
  margin: number;
}

export const UPSTREAM_SWARM_RULES: SwarmRules = { minSize: 5, targetSize: 7, margin: 2 };
const FILL_PERCENTILE = 25;
const STEAL_PERCENTILE = 75;

/** swarm id -> member node keys */
export type SwarmAssignment = Map<bigint, string[]>;

export interface FormationInput {
  swarms: ReadonlyMap<bigint, readonly string[]>;
  /** Active storage nodes in no swarm yet, in the order they should be placed. */
  unassigned: readonly string[];
}

export function validateSwarmRules(rules: SwarmRules): void {
  if (!Number.isInteger(rules.minSize) || rules.minSize < 1) throw new Error('minimum swarm size must be an integer >= 1');
  if (!Number.isInteger(rules.targetSize) || rules.targetSize < rules.minSize) {
    throw new Error('target swarm size must be an integer >= the minimum swarm size');
  }
  if (!Number.isInteger(rules.margin) || rules.margin < 0) throw new Error('swarm margin must be an integer >= 0');
}

export function formSwarms(input: FormationInput, rules: SwarmRules, random: RandomSource): SwarmAssignment {
  validateSwarmRules(rules);
  const swarms: SwarmAssignment = new Map([...input.swarms].map(([id, members]) => [id, [...members]]));
  const total = [...swarms.values()].reduce((n, m) => n + m.length, 0) + input.unassigned.length;
  if (total === 0) return new Map();
  if (swarms.size === 0) swarms.set(0n, []);

  for (const node of input.unassigned) {
    swarms.get(pickSmallSwarm(swarms, FILL_PERCENTILE, random))!.push(node);
    splitExcessIntoNewSwarms(swarms, rules, random);
  }
  feedStarvingSwarms(swarms, rules, random);
  splitExcessIntoNewSwarms(swarms, rules, random);
  dissolveStarvingSwarms(swarms, rules, random);
  return swarms;
}

/** Uniform pick among the swarms no larger than the size found at the given percentile. */
function pickSmallSwarm(swarms: SwarmAssignment, percentile: number, random: RandomSource): bigint {
  const bySize = [...swarms].sort(([ia, a], [ib, b]) => a.length - b.length || compareIds(ia, ib));
  const limit = bySize[percentileIndex(bySize.length, percentile)]![1].length;
  const candidates = bySize.filter(([, m]) => m.length <= limit);
  return candidates[random.below(candidates.length)]![0];
}

function percentileIndex(count: number, percentile: number): number {
  return Math.floor((percentile * (count - 1)) / 100);
}

function excessOver(swarms: SwarmAssignment, minSize: number): number {
  let excess = 0;
  for (const members of swarms.values()) excess += Math.max(members.length - minSize, 0);
  return excess;
}

/** Removes a uniformly chosen member of the swarms larger than `above` (so bigger swarms give more). */
function takeMemberFromSwarmsAbove(swarms: SwarmAssignment, above: number, random: RandomSource): string | undefined {
  const donors = [...swarms.values()].filter((m) => m.length > above);
  const poolSize = donors.reduce((n, m) => n + m.length, 0);
  if (poolSize === 0) return undefined;
  let pick = random.below(poolSize);
  for (const members of donors) {
    if (pick < members.length) return members.splice(pick, 1)[0];
    pick -= members.length;
  }
  return undefined;
}

/** Robin Hood: a swarm below the minimum takes members from rich swarms when the excess covers it. */
function feedStarvingSwarms(swarms: SwarmAssignment, rules: SwarmRules, random: RandomSource): void {
  const starving = [...swarms].filter(([, m]) => m.length < rules.minSize).sort(([ia, a], [ib, b]) => a.length - b.length || compareIds(ia, ib));
  for (const [, members] of starving) {
    const deficit = rules.minSize - members.length;
    if (excessOver(swarms, rules.minSize) < deficit) continue; // cannot be saved; step 4 dissolves it
    while (members.length < rules.minSize) {
      const sizes = [...swarms.values()].map((m) => m.length).sort((a, b) => a - b);
      const richAbove = Math.max(rules.minSize, sizes[percentileIndex(sizes.length, STEAL_PERCENTILE)]! - 1);
      const moved =
        takeMemberFromSwarmsAbove(swarms, richAbove, random) ?? takeMemberFromSwarmsAbove(swarms, rules.minSize, random);
      if (moved === undefined) break;
      members.push(moved);
    }
  }
}

/** While the excess over the minimum is large enough, a new swarm of target size is formed from it. */
function splitExcessIntoNewSwarms(swarms: SwarmAssignment, rules: SwarmRules, random: RandomSource): void {
  if ([...swarms.values()].some((m) => m.length < rules.minSize)) return;
  while (excessOver(swarms, rules.minSize) >= rules.targetSize + rules.margin * swarms.size) {
    const members: string[] = [];
    while (members.length < rules.targetSize) {
      const moved = takeMemberFromSwarmsAbove(swarms, rules.minSize, random);
      if (moved === undefined) break;
      members.push(moved);
    }
    swarms.set(newSwarmId(swarms.keys()), members);
  }
}

/** A swarm still below the minimum is removed and its members go to the smallest swarms, one at a time. */
function dissolveStarvingSwarms(swarms: SwarmAssignment, rules: SwarmRules, random: RandomSource): void {
  for (;;) {
    if (swarms.size <= 1) return;
    const starving = [...swarms]
      .filter(([, m]) => m.length < rules.minSize)
      .sort(([ia, a], [ib, b]) => a.length - b.length || compareIds(ia, ib))[0];
    if (!starving) return;
    const [id, members] = starving;
    swarms.delete(id);
    for (const node of members) swarms.get(pickSmallSwarm(swarms, 0, random))!.push(node);
  }
}

/** The middle of the largest gap between existing ids (the gap across the wrap counts too). */
export function newSwarmId(existing: Iterable<bigint>): bigint {
  const ids = [...existing].sort(compareIds);
  if (ids.length === 0) return 0n;
  const space = MAX_SWARM_ID + 1n;
  let bestStart = ids[ids.length - 1]!;
  let bestGap = MAX_SWARM_ID - ids[ids.length - 1]! + ids[0]! + 1n;
  for (let i = 0; i + 1 < ids.length; i++) {
    const gap = ids[i + 1]! - ids[i]!;
    if (gap > bestGap) {
      bestGap = gap;
      bestStart = ids[i]!;
    }
  }
  return (bestStart + bestGap / 2n) % space;
}

function compareIds(a: bigint, b: bigint): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export interface SwarmMove {
  node: string;
  from: bigint | undefined;
  to: bigint | undefined;
}

/** Nodes whose swarm differs between two assignments (undefined = in no swarm). */
export function swarmMoves(before: ReadonlyMap<bigint, readonly string[]>, after: ReadonlyMap<bigint, readonly string[]>): SwarmMove[] {
  const where = (a: ReadonlyMap<bigint, readonly string[]>) => {
    const m = new Map<string, bigint>();
    for (const [id, members] of a) for (const node of members) m.set(node, id);
    return m;
  };
  const was = where(before);
  const now = where(after);
  const moves: SwarmMove[] = [];
  for (const node of new Set([...was.keys(), ...now.keys()])) {
    if (was.get(node) !== now.get(node)) moves.push({ node, from: was.get(node), to: now.get(node) });
  }
  return moves;
}
