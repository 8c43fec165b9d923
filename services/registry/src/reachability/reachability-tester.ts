// The leader tests every known node on its own randomized schedule and records consecutive
// failures in the database; the epoch takes a node out of the map once it reaches the limit and
// puts it back after a passed test.
import type { Queryable } from '@starling/platform';
import { recordTestResult, type NodeRecord } from '../nodes/node-store';
import type { NodePinger } from './node-pinger';
import { nextTestDelay, type TestTimings } from './test-schedule';

export interface TesterSettings extends TestTimings {
  tickMs: number;
  testsPerTick: number;
  maxTestFailures: number;
}

export interface TestReport {
  node: NodeRecord;
  passed: boolean;
  failures: number;
}

interface Scheduled {
  node: NodeRecord;
  dueMs: number;
  failures: number;
  running: boolean;
}

/** Who hears the results: the leader, for as long as it tests. */
export interface TestListener {
  /** Called after every test; `statusChanged` when the node crossed the failure limit either way. */
  onResult(report: TestReport, statusChanged: boolean): void;
  onError(err: unknown): void;
}

export class ReachabilityTester {
  private readonly scheduled = new Map<string, Scheduled>();
  private timer: NodeJS.Timeout | undefined;
  private readonly running = new Set<Promise<void>>();
  private listener: TestListener | undefined;

  constructor(
    private readonly db: Queryable,
    private readonly pinger: NodePinger,
    private readonly settings: TesterSettings,
    private readonly now: () => number = Date.now,
  ) {}

  start(listener: TestListener): void {
    this.listener = listener;
    this.timer ??= setInterval(() => this.startDueTests(), this.settings.tickMs);
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await Promise.allSettled([...this.running]);
    for (const s of this.scheduled.values()) this.pinger.forget(s.node);
    this.scheduled.clear();
  }

  /** Follows the node table: new nodes get a first test date, departed ones are dropped. */
  sync(nodes: readonly NodeRecord[]): void {
    const now = this.now();
    const present = new Set<string>();
    for (const node of nodes) {
      present.add(node.pubkeyEd25519);
      const known = this.scheduled.get(node.pubkeyEd25519);
      if (known) {
        if (known.node.grpcAddress !== node.grpcAddress || known.node.role !== node.role) this.pinger.forget(known.node);
        known.node = node;
      } else {
        this.scheduled.set(node.pubkeyEd25519, {
          node,
          failures: node.failedTests,
          dueMs: now + nextTestDelay(node.failedTests, this.settings),
          running: false,
        });
      }
    }
    for (const [key, s] of this.scheduled) {
      if (!present.has(key)) {
        this.pinger.forget(s.node);
        this.scheduled.delete(key);
      }
    }
  }

  private startDueTests(): void {
    const now = this.now();
    const due = [...this.scheduled.values()]
      .filter((s) => !s.running && s.dueMs <= now)
      .sort((a, b) => a.dueMs - b.dueMs)
      .slice(0, this.settings.testsPerTick);
    for (const s of due) {
      s.running = true;
      const run = this.test(s)
        .catch((err: unknown) => this.listener?.onError(err))
        .finally(() => {
          s.running = false;
          this.running.delete(run);
        });
      this.running.add(run);
    }
  }

  private async test(s: Scheduled): Promise<void> {
    const passed = await this.pinger.ping(s.node);
    const failures = await recordTestResult(this.db, s.node.pubkeyEd25519, passed);
    if (failures === undefined) return; // forgotten meanwhile
    const limit = this.settings.maxTestFailures;
    const statusChanged = (s.failures >= limit) !== (failures >= limit);
    s.failures = failures;
    s.dueMs = this.now() + nextTestDelay(failures, this.settings);
    this.listener?.onResult({ node: s.node, passed, failures }, statusChanged);
  }
}
