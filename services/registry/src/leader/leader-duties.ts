// What the leader does while it holds the lock: run an epoch every interval (and right away when
// a node announces itself here), and test reachability. Epochs never overlap; a request during a
// run schedules one more run after it.
import { Inject, Injectable } from '@nestjs/common';
import { DATABASE, LOGGER, type Database, type Logger } from '@starling/platform';
import { REGISTRY_CONFIG, type RegistryConfig } from '../config';
import { REGISTRY_IDENTITY, type RegistryIdentity } from '../identity/registry-identity';
import { MapFeed } from '../map/map-feed';
import { RegistryMetrics, roleName } from '../metrics';
import type { NodeRecord } from '../nodes/node-store';
import { ReachabilityTester, type TestReport } from '../reachability/reachability-tester';
import { cryptoRandom } from '../swarms/random-source';
import { runEpoch, type EpochSettings } from './epoch';

@Injectable()
export class LeaderDuties {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private active = false;
  private readonly epochSettings: EpochSettings;

  constructor(
    @Inject(DATABASE) private readonly db: Database,
    @Inject(REGISTRY_IDENTITY) private readonly identity: RegistryIdentity,
    private readonly feed: MapFeed,
    private readonly metrics: RegistryMetrics,
    private readonly tester: ReachabilityTester,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(REGISTRY_CONFIG) private readonly config: RegistryConfig,
  ) {
    this.epochSettings = {
      rules: { minSize: config.swarmMinSize, targetSize: config.swarmTargetSize, margin: config.swarmMargin },
      heartbeatTimeoutMs: config.heartbeatTimeoutMs,
      maxTestFailures: config.maxTestFailures,
    };
  }

  start(): void {
    if (this.active) return;
    this.active = true;
    this.requestEpoch();
    this.timer = setInterval(() => this.requestEpoch(), this.config.epochIntervalMs);
    this.tester.start({
      onResult: (report, statusChanged) => this.tested(report, statusChanged),
      onError: (err) => this.logger.warn({ err }, 'reachability test could not be recorded'),
    });
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

  private tested(report: TestReport, statusChanged: boolean): void {
    this.metrics.tests.inc({ role: roleName(report.node.role), result: report.passed ? 'passed' : 'failed' });
    if (statusChanged) {
      this.logger.info({ node: report.node.pubkeyEd25519, failures: report.failures }, report.passed ? 'node reachable again' : 'node unreachable');
      this.requestEpoch();
    }
  }

  private async epoch(): Promise<void> {
    const { feed, metrics, logger } = this;
    try {
      const outcome = await runEpoch(this.db, this.identity, this.epochSettings, cryptoRandom, Date.now());
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
      if (n.failedTests >= this.epochSettings.maxTestFailures) {
        const role = roleName(n.role);
        byRole.set(role, (byRole.get(role) ?? 0) + 1);
      }
    }
    return byRole;
  }
}
