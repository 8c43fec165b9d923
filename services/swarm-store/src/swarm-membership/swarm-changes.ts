// Reacting to a new network map (storage-onion 2.3, with upstream's known gaps closed):
//   - a member joined this swarm  -> push it every message of the swarm's accounts (namespaces kept)
//     and their subaccount revocations;
//   - accounts now owned by another swarm -> push them to every member of that swarm, mark them
//     handed over, and delete them once the grace period has passed (not kept forever as upstream);
//   - accounts that came back -> ours again.
// An account is one with messages or revocations here.
// Reactions run one at a time, in map order.
import type { SwarmView } from '@starling/membership';
import type { Logger } from '@starling/platform';
import type { DataMover } from '../replication/data-mover';
import type { PeerClients } from '../replication/peer-client';
import type { AccountHandOver } from '../storage/account-hand-over';
import type { NodeMetrics } from '../node-metrics';
import type { SwarmViews } from './swarm-views';

export class SwarmChangeReactor {
  private chain: Promise<void> = Promise.resolve();

  constructor(
    private readonly views: SwarmViews,
    private readonly peers: PeerClients,
    private readonly handOver: AccountHandOver,
    private readonly mover: DataMover,
    private readonly metrics: NodeMetrics,
    private readonly logger: Logger,
  ) {}

  /** Makes `view` the node's snapshot and reacts to what changed; resolves when the reaction is done. */
  apply(view: SwarmView): Promise<void> {
    const previous = this.views.replace(view);
    this.peers.retain(new Set([...view.nodes.values()].map((n) => n.grpcAddress)));
    return this.onChange(previous, view);
  }

  /** Queues the reaction to a map change; resolves when it (and all before it) finished. */
  onChange(previous: SwarmView, current: SwarmView): Promise<void> {
    this.chain = this.chain.then(() => this.react(previous, current)).catch((err) => this.logger.error({ err }, 'reacting to the swarm change failed'));
    return this.chain;
  }

  /** Waits for queued reactions (tests, shutdown). */
  settled(): Promise<void> {
    return this.chain;
  }

  private async react(previous: SwarmView, current: SwarmView): Promise<void> {
    const mine = current.mySwarmId;
    this.metrics.inSwarm.set(mine === undefined ? 0 : 1);
    this.metrics.swarmMembers.set(current.members(mine).length);
    if (!current.hasSwarms) return;

    const owners = await this.handOver.accounts();
    const ours = owners.filter((o) => current.isMine(o.owner));
    const before = new Set(previous.mySwarmId === mine ? previous.peers().map((p) => p.ed25519) : []);
    const joined = current.peers().filter((p) => !before.has(p.ed25519));
    if (mine !== previous.mySwarmId || joined.length > 0) this.metrics.swarmChanges.inc();

    await this.handOver.clear(ours.filter((o) => o.handedOver).map((o) => o.owner));
    if (joined.length > 0 && ours.length > 0) {
      const moved = await this.mover.pushOwners(ours.map((o) => o.owner), joined);
      this.logger.info({ joined: joined.map((p) => p.ed25519), messages: moved }, 'sent swarm data to new members');
    }

    // Only hand over when this node is placed in a swarm: a node briefly missing from the map
    // keeps its data rather than scattering it.
    if (mine === undefined) return;
    const leaving = owners.filter((o) => !o.handedOver && !current.isMine(o.owner));
    const bySwarm = new Map<bigint, Buffer[]>();
    for (const o of leaving) {
      const target = current.swarmOf(o.owner)!;
      bySwarm.set(target, [...(bySwarm.get(target) ?? []), o.owner]);
    }
    for (const [swarmId, accounts] of bySwarm) {
      const moved = await this.mover.pushOwners(accounts, current.members(swarmId));
      await this.handOver.mark(accounts, Date.now());
      this.logger.info({ swarm: swarmId.toString(16), accounts: accounts.length, messages: moved }, 'handed accounts to their new swarm');
    }
  }
}
