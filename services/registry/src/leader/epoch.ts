// One leader step: forget silent nodes, re-form swarms from the nodes that are active now, and
// publish a new map version when the node list or any swarm changed. It all runs in one
// transaction, so a map never describes assignments that were not stored.
import type { Database } from '@starling/platform';
import { common, networkMapHash } from '@starling/proto';
import type { RegistryIdentity } from '../identity/registry-identity';
import { mapNodes, signMap } from '../map/map-builder';
import { insertMap, latestMapHeader, type PublishedMap } from '../map/map-store';
import { deleteSilentNodes, listNodes, setSwarm, type NodeRecord } from '../nodes/node-store';
import type { RandomSource } from '../swarms/random-source';
import { formSwarms, swarmMoves, type SwarmMove, type SwarmRules } from '../swarms/swarm-formation';

export interface EpochSettings {
  rules: SwarmRules;
  heartbeatTimeoutMs: number;
  maxTestFailures: number;
}

export interface EpochOutcome {
  /** Set when this step published a new version. */
  published: PublishedMap | undefined;
  moves: SwarmMove[];
  forgotten: number;
  nodes: NodeRecord[];
}

export function isActive(node: NodeRecord, nowMs: number, settings: EpochSettings): boolean {
  return nowMs - node.lastSeenMs <= settings.heartbeatTimeoutMs && node.failedTests < settings.maxTestFailures;
}

export async function runEpoch(
  db: Database,
  identity: RegistryIdentity,
  settings: EpochSettings,
  random: RandomSource,
  nowMs: number,
): Promise<EpochOutcome> {
  return db.transaction(async (tx) => {
    const forgotten = await deleteSilentNodes(tx, nowMs - settings.heartbeatTimeoutMs);
    const nodes = await listNodes(tx);
    const stores = nodes.filter((n) => n.role === common.NodeRole.NODE_ROLE_STORE);
    const activeStores = stores.filter((n) => isActive(n, nowMs, settings));

    const before = new Map<bigint, string[]>();
    for (const n of stores) if (n.swarmId !== undefined) before.set(n.swarmId, [...(before.get(n.swarmId) ?? []), n.pubkeyEd25519]);
    const current = new Map<bigint, string[]>();
    for (const n of activeStores) if (n.swarmId !== undefined) current.set(n.swarmId, [...(current.get(n.swarmId) ?? []), n.pubkeyEd25519]);
    const unassigned = activeStores.filter((n) => n.swarmId === undefined).map((n) => n.pubkeyEd25519);

    const after = formSwarms({ swarms: current, unassigned }, settings.rules, random);
    // Moves against `before`, so inactive nodes leaving their swarm are written too.
    const moves = swarmMoves(before, after);
    const byKey = new Map(nodes.map((n) => [n.pubkeyEd25519, n]));
    for (const move of moves) {
      await setSwarm(tx, move.node, move.to);
      byKey.get(move.node)!.swarmId = move.to;
    }

    const active = nodes.filter((n) => isActive(n, nowMs, settings));
    const listed = mapNodes(active);
    const hash = networkMapHash({ nodes: listed });
    const latest = await latestMapHeader(tx);
    let published: PublishedMap | undefined;
    if (!latest || latest.hash !== hash) {
      published = signMap(listed, (latest?.version ?? 0n) + 1n, nowMs, identity);
      await insertMap(tx, published);
    }
    return { published, moves, forgotten, nodes };
  });
}
