// The registry's domain metrics. Node and swarm figures come from the map this replica serves,
// so every replica reports the same network; unreachable counts come from the leader.
import { Injectable } from '@nestjs/common';
import { ServiceMetrics } from '@starling/platform';
import { common, NO_SWARM_ID } from '@starling/proto';
import { MapFeed } from './map/map-feed';
import { REJECTION_KINDS } from './nodes/announcement-check';

/** How a refused Announce or Heartbeat is counted (see Announcements.counted). */
const REFUSED = [...REJECTION_KINDS.map((kind) => `rejected_${kind}`), 'error'];

export function roleName(role: number): string {
  return role === common.NodeRole.NODE_ROLE_STORE ? 'store' : role === common.NodeRole.NODE_ROLE_RELAY ? 'relay' : 'unknown';
}

@Injectable()
export class RegistryMetrics {
  private unreachable = new Map<string, number>();

  readonly leader;
  readonly tests;
  readonly announcements;
  readonly swarmMoves;
  readonly watchers;

  constructor(metrics: ServiceMetrics, feed: MapFeed) {
    const currentNodes = () => feed.current?.map.nodes ?? [];
    const unreachable = () => this.unreachable;
    metrics.gauge('registry_nodes', 'Nodes known to the registry, by role and status (active = in the map)', ['role', 'status'], function () {
      this.reset();
      for (const role of ['store', 'relay']) this.set({ role, status: 'active' }, 0);
      for (const n of currentNodes()) this.inc({ role: roleName(n.role), status: 'active' });
      for (const [role, count] of unreachable()) this.set({ role, status: 'unreachable' }, count);
    });
    metrics.gauge('registry_swarms', 'Swarms in the current map', [], function () {
      this.set(swarmSizes(currentNodes()).length);
    });
    metrics.gauge('registry_swarm_size', 'Members per swarm in the current map (min, max, mean)', ['stat'], function () {
      const sizes = swarmSizes(currentNodes());
      this.set({ stat: 'min' }, sizes.length ? Math.min(...sizes) : 0);
      this.set({ stat: 'max' }, sizes.length ? Math.max(...sizes) : 0);
      this.set({ stat: 'mean' }, sizes.length ? sizes.reduce((a, b) => a + b, 0) / sizes.length : 0);
    });
    metrics.gauge('registry_map_version', 'Version of the network map this replica serves', [], function () {
      this.set(Number(feed.current?.version ?? 0n));
    });
    this.leader = metrics.gauge('registry_leader', '1 while this replica is the leader');
    this.tests = metrics.counter('registry_reachability_tests_total', 'Reachability tests run by this replica, by role and result', ['role', 'result'], {
      role: ['store', 'relay'],
      result: ['passed', 'failed'],
    });
    this.announcements = metrics.counter('registry_announcements_total', 'Announce and Heartbeat calls, by kind and outcome', ['kind', 'outcome'], [
      { kind: ['announce'], outcome: ['new', 'updated', ...REFUSED] },
      { kind: ['heartbeat'], outcome: ['recorded', 'unknown', ...REFUSED] },
    ]);
    this.swarmMoves = metrics.counter('registry_swarm_moves_total', 'Storage nodes that joined, left or changed swarm');
    this.watchers = metrics.gauge('registry_map_watchers', 'Open WatchNetworkMap streams on this replica');
  }

  /** Leader-only view: nodes currently out of the map for failed tests, by role. */
  setUnreachable(byRole: Map<string, number>): void {
    this.unreachable = byRole;
  }
}

function swarmSizes(nodes: readonly common.NodeInfo[]): number[] {
  const sizes = new Map<string, number>();
  for (const n of nodes) {
    if (n.role === common.NodeRole.NODE_ROLE_STORE && n.swarmId !== NO_SWARM_ID) sizes.set(n.swarmId, (sizes.get(n.swarmId) ?? 0) + 1);
  }
  return [...sizes.values()];
}
