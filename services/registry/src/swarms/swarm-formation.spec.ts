import { seededRandom } from './random-source';
import {
  MAX_SWARM_ID,
  UNASSIGNED_SWARM_ID,
  UPSTREAM_SWARM_RULES,
  formSwarms,
  newSwarmId,
  swarmMoves,
  type SwarmAssignment,
  type SwarmRules,
} from './swarm-formation';

const LOCAL: SwarmRules = { minSize: 2, targetSize: 3, margin: 1 };
const RULE_SETS: [string, SwarmRules][] = [['upstream 5/7', UPSTREAM_SWARM_RULES], ['local 2/3', LOCAL]];

let counter = 0;
const freshNodes = (n: number) => Array.from({ length: n }, () => `node-${++counter}`);

function members(a: SwarmAssignment): string[] {
  return [...a.values()].flat();
}

/** Adds `count` nodes one step at a time, as they would announce one after another. */
function grow(start: SwarmAssignment, count: number, rules: SwarmRules, seed: number): SwarmAssignment {
  let a = start;
  const random = seededRandom(seed);
  for (const node of freshNodes(count)) a = formSwarms({ swarms: a, unassigned: [node] }, rules, random);
  return a;
}

function withoutNodes(a: SwarmAssignment, gone: Set<string>): SwarmAssignment {
  return new Map([...a].map(([id, m]) => [id, m.filter((n) => !gone.has(n))]));
}

function expectEveryNodeOnce(a: SwarmAssignment, expected: readonly string[]): void {
  const listed = members(a);
  expect(new Set(listed).size).toBe(listed.length);
  expect([...listed].sort()).toEqual([...expected].sort());
}

function expectNoStarvingSwarm(a: SwarmAssignment, rules: SwarmRules): void {
  if (members(a).length < rules.minSize) {
    expect(a.size).toBeLessThanOrEqual(1);
    return;
  }
  for (const [id, m] of a) {
    if (m.length < rules.minSize) throw new Error(`swarm ${id} has ${m.length} < ${rules.minSize} members`);
  }
}

describe('formSwarms', () => {
  it('returns no swarms when there are no nodes', () => {
    expect(formSwarms({ swarms: new Map(), unassigned: [] }, LOCAL, seededRandom(1)).size).toBe(0);
    expect(formSwarms({ swarms: new Map([[5n, []]]), unassigned: [] }, LOCAL, seededRandom(1)).size).toBe(0);
  });

  it('puts the first node into swarm 0', () => {
    const a = formSwarms({ swarms: new Map(), unassigned: ['a'] }, LOCAL, seededRandom(1));
    expect([...a]).toEqual([[0n, ['a']]]);
  });

  it('refuses rules where the target is below the minimum', () => {
    expect(() => formSwarms({ swarms: new Map(), unassigned: ['a'] }, { minSize: 3, targetSize: 2, margin: 2 }, seededRandom(1))).toThrow(/target/);
    expect(() => formSwarms({ swarms: new Map(), unassigned: ['a'] }, { minSize: 0, targetSize: 2, margin: 2 }, seededRandom(1))).toThrow(/minimum/);
  });

  it.each(RULE_SETS)('places every node in exactly one swarm and none below the minimum (%s)', (_name, rules) => {
    for (let seed = 1; seed <= 40; seed++) {
      const random = seededRandom(seed);
      let a: SwarmAssignment = new Map();
      const all: string[] = [];
      // Nodes arrive in bursts of 1..4 and sometimes leave; each step must keep the invariants.
      for (let step = 0; step < 30; step++) {
        const leaving = new Set(random.below(3) === 0 ? all.filter(() => random.below(6) === 0) : []);
        for (const n of leaving) all.splice(all.indexOf(n), 1);
        const arriving = freshNodes(1 + random.below(4));
        all.push(...arriving);
        a = formSwarms({ swarms: withoutNodes(a, leaving), unassigned: arriving }, rules, random);
        expectEveryNodeOnce(a, all);
        expectNoStarvingSwarm(a, rules);
        for (const id of a.keys()) expect(id >= 0n && id <= MAX_SWARM_ID).toBe(true);
      }
    }
  });

  it.each(RULE_SETS)('moves only the new node when one joins, unless a new swarm is split off (%s)', (_name, rules) => {
    for (let seed = 1; seed <= 30; seed++) {
      const before = grow(new Map(), 5 + seed * 3, rules, seed);
      const [node] = freshNodes(1);
      const after = formSwarms({ swarms: before, unassigned: [node!] }, rules, seededRandom(1000 + seed));
      const moves = swarmMoves(before, after);
      const newSwarms = [...after.keys()].filter((id) => !before.has(id));
      if (newSwarms.length === 0) {
        expect(moves).toEqual([{ node, from: undefined, to: expect.any(BigInt) }]);
      } else {
        // The split takes target-size members into the new swarm, and nothing else moves.
        expect(newSwarms).toHaveLength(1);
        expect(moves.length).toBeLessThanOrEqual(rules.targetSize + 1);
        for (const m of moves) if (m.node !== node) expect(m.to).toBe(newSwarms[0]);
        expect(after.get(newSwarms[0]!)).toHaveLength(rules.targetSize);
      }
    }
  });

  it.each(RULE_SETS)('leaves the assignment alone when nothing changes (%s)', (_name, rules) => {
    const a = grow(new Map(), 40, rules, 7);
    const again = formSwarms({ swarms: a, unassigned: [] }, rules, seededRandom(99));
    expect(swarmMoves(a, again)).toEqual([]);
  });

  it('keeps most nodes in place when one node leaves', () => {
    const rules = UPSTREAM_SWARM_RULES;
    for (let seed = 1; seed <= 30; seed++) {
      const before = grow(new Map(), 60, rules, seed);
      const leaving = members(before)[seededRandom(seed).below(60)]!;
      const after = formSwarms({ swarms: withoutNodes(before, new Set([leaving])), unassigned: [] }, rules, seededRandom(seed));
      const moved = swarmMoves(before, after).filter((m) => m.node !== leaving);
      // At most one member is stolen to refill the swarm, or the members of one dissolved swarm move.
      expect(moved.length).toBeLessThan(rules.minSize);
    }
  });

  it('dissolves a swarm below the minimum when the others cannot feed it', () => {
    const swarms = new Map<bigint, string[]>([
      [100n, ['a', 'b', 'c']],
      [200n, ['d']],
    ]);
    const a = formSwarms({ swarms, unassigned: [] }, { minSize: 3, targetSize: 3, margin: 2 }, seededRandom(3));
    expect([...a.keys()]).toEqual([100n]);
    expect([...a.get(100n)!].sort()).toEqual(['a', 'b', 'c', 'd']);
  });

  it('feeds a starving swarm from a rich one instead of dissolving it', () => {
    const swarms = new Map<bigint, string[]>([
      [100n, ['a', 'b', 'c', 'd', 'e', 'f']],
      [200n, ['g']],
    ]);
    const a = formSwarms({ swarms, unassigned: [] }, { minSize: 3, targetSize: 4, margin: 2 }, seededRandom(3));
    expect(a.get(100n)!.length).toBe(4);
    expect(a.get(200n)!.length).toBe(3);
    expect(a.get(200n)).toContain('g');
  });

  it('keeps a lone swarm below the minimum while it is all there is', () => {
    const a = formSwarms({ swarms: new Map([[0n, ['a']]]), unassigned: [] }, UPSTREAM_SWARM_RULES, seededRandom(1));
    expect([...a]).toEqual([[0n, ['a']]]);
  });

  it('forms two swarms of 3 from 6 nodes joining one by one (local rules 2/3, margin 1)', () => {
    for (let seed = 1; seed <= 20; seed++) {
      const a = grow(new Map(), 6, LOCAL, seed);
      expect([...a.values()].map((m) => m.length)).toEqual([3, 3]);
    }
  });

  it('refuses a negative margin', () => {
    expect(() => formSwarms({ swarms: new Map(), unassigned: ['a'] }, { ...LOCAL, margin: -1 }, seededRandom(1))).toThrow(/margin/);
  });

  it('keeps average swarm size between the minimum and the target plus the margin (upstream rules)', () => {
    const a = grow(new Map(), 300, UPSTREAM_SWARM_RULES, 5);
    const avg = 300 / a.size;
    expect(avg).toBeGreaterThanOrEqual(5);
    expect(avg).toBeLessThanOrEqual(10);
  });
});

describe('newSwarmId', () => {
  const SPACE = MAX_SWARM_ID + 1n;

  it('starts at 0, then takes the middle of the wrap gap', () => {
    expect(newSwarmId([])).toBe(0n);
    expect(newSwarmId([0n])).toBe(9223372036854775807n); // (2^64 - 1) / 2, rounded down
    // Gap 0 -> 2^63-1 is 2^63-1 long; the wrap gap 2^63-1 -> 0 is 2^63 long and wins.
    expect(newSwarmId([0n, 9223372036854775807n])).toBe(9223372036854775807n + (1n << 62n));
  });

  it('picks the largest inner gap when it is larger than the wrap gap', () => {
    expect(newSwarmId([100n, 200n, MAX_SWARM_ID - 50n])).toBe(200n + (MAX_SWARM_ID - 50n - 200n) / 2n);
  });

  it('wraps past the top and never produces the unassigned id', () => {
    const first = (SPACE * 4n) / 10n;
    const last = (SPACE * 7n) / 10n;
    const id = newSwarmId([first, last]);
    expect(id).toBeLessThan(first);
    expect((id + SPACE - last) % SPACE).toBe((SPACE - last + first) / 2n);
    expect(id).not.toBe(UNASSIGNED_SWARM_ID);
  });
});

describe('swarmMoves', () => {
  it('lists joins, leaves and moves', () => {
    const before = new Map([[1n, ['a', 'b']], [2n, ['c']]]);
    const after = new Map([[1n, ['a']], [2n, ['c', 'b', 'd']]]);
    expect(swarmMoves(before, after)).toEqual([
      { node: 'b', from: 1n, to: 2n },
      { node: 'd', from: undefined, to: 2n },
    ]);
  });
});
