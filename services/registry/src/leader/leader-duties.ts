// What the leader does while it holds the lock: run an epoch every interval (and right away when
// a node announces itself here), and test reachability. Epochs never overlap; a request during a
// run schedules one more run after it.
import type { Logger } from 'pino';
import type { Database } from '@starling/platform';
import type { RegistryIdentity } from '../identity/registry-identity';
import type { MapFeed } from '../map/map-feed';
import type { RegistryMetrics } from '../metrics';
import type { NodeRecord } from '../nodes/node-store';
import type { NodePinger } from '../reachability/node-pinger';
import { ReachabilityTester, type TesterSettings } from '../reachability/reachability-tester';
import { cryptoRandom } from '../swarms/random-source';
import { runEpoch, type EpochSettings } from './epoch';

export interface LeaderDutiesDeps {
  db: Database;
  identity: RegistryIdentity;
  feed: MapFeed;
  metrics: RegistryMetrics;
  logger: Logger;
  pinger: NodePinger;
  epoch: EpochSettings;
  epochIntervalMs: number;
  tester: TesterSettings;
}

export class LeaderDuties {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private active = false;
  private readonly tester: ReachabilityTester;

  constructor(private readonly deps: LeaderDutiesDeps) {
    this.tester = new ReachabilityTester(
      deps.db,
      deps.pinger,
      deps.tester,
      (report, statusChanged) => {
        deps.metrics.tests.inc({ role: deps.metrics.roleName(report.node.role), result: report.passed ? 'passed' : 'failed' });
        if (statusChanged) {
          deps.logger.info({ node: report.node.pubkeyEd25519, failures: report.failures }, report.passed ? 'node reachable again' : 'node unreachable');
          this.requestEpoch();
        }
      },
      (err) => deps.logger.warn({ err }, 'reachability test could not be recorded'),
    );
  }

  start(): void {
    if (this.active) return;
    this.active = true;
    this.requestEpoch();
    this.timer = setInterval(() => this.requestEpoch(), this.deps.epochIntervalMs);
    this.tester.start();
  }

  async stop(): Promise<void> {
    this.active = false;
    clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
    await this.tester.stop();
  }

  /** Runs an epoch soon; calls while one runs collapse into one more run. */
  requestEpoch(): void {
    if (!this.active) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.epoch().finally(() => {
      this.running = undefined;
      if (this.again) {
        this.again = false;
        this.requestEpoch();
      }
    });
  }

  private async epoch(): Promise<void> {
    const { db, identity, feed, metrics, logger } = this.deps;
    try {
      const outcome = await runEpoch(db, identity, this.deps.epoch, cryptoRandom, Date.now());
      if (!this.active) return;
      this.tester.sync(outcome.nodes);
      metrics.setUnreachable(this.unreachableByRole(outcome.nodes));
      if (outcome.moves.length > 0) {
        metrics.swarmMoves.inc(outcome.moves.length);
        logger.info({ moves: outcome.moves.map((m) => ({ node: m.node, from: m.from?.toString(), to: m.to?.toString() })) }, 'swarms changed');
      }
      if (outcome.forgotten > 0) logger.info({ forgotten: outcome.forgotten }, 'silent nodes forgotten');
      if (outcome.published) {
        logger.info({ version: outcome.published.version.toString(), nodes: outcome.published.map.nodes.length }, 'network map published');
        await feed.refresh();
      }
    } catch (err) {
      logger.warn({ err }, 'epoch failed; retrying at the next interval');
    }
  }

  private unreachableByRole(nodes: readonly NodeRecord[]): Map<string, number> {
    const byRole = new Map<string, number>([['store', 0], ['relay', 0]]);
    for (const n of nodes) {
      if (n.failedTests >= this.deps.epoch.maxTestFailures) {
        const role = this.deps.metrics.roleName(n.role);
        byRole.set(role, (byRole.get(role) ?? 0) + 1);
      }
    }
    return byRole;
  }
}
