// Liveness says "this process is not stuck" (Kubernetes restarts it otherwise); readiness says
// "send me traffic" (dependencies reachable, migrations done, not shutting down). Both are named
// checks with a timeout, so one hung dependency makes readiness fail instead of hang.
// The routes that serve them are in edge/ops-routes.ts, on the service's cluster-only ops port.

/** A check passes when it resolves (to anything but `false`) and fails when it throws or returns false. */
export type HealthCheck = () => unknown | Promise<unknown>;

export interface CheckResult {
  ok: boolean;
  error?: string;
}

export interface HealthReport {
  ok: boolean;
  checks: Record<string, CheckResult>;
}

export class HealthChecks {
  private readonly live = new Map<string, HealthCheck>();
  private readonly ready = new Map<string, HealthCheck>();
  private shuttingDown = false;

  constructor(private readonly timeoutMs = 2000) {}

  addLiveness(name: string, check: HealthCheck): this {
    this.live.set(name, check);
    return this;
  }

  addReadiness(name: string, check: HealthCheck): this {
    this.ready.set(name, check);
    return this;
  }

  get isShuttingDown(): boolean {
    return this.shuttingDown;
  }

  /** From now on readiness fails, so the load balancer stops sending requests while we drain. */
  markShuttingDown(): void {
    this.shuttingDown = true;
  }

  liveness(): Promise<HealthReport> {
    return this.run(this.live);
  }

  async readiness(): Promise<HealthReport> {
    const report = await this.run(this.ready);
    if (this.shuttingDown) {
      report.ok = false;
      report.checks.shutdown = { ok: false, error: 'shutting down' };
    }
    return report;
  }

  private async run(checks: Map<string, HealthCheck>): Promise<HealthReport> {
    const entries = await Promise.all([...checks].map(async ([name, check]) => [name, await this.runOne(check)] as const));
    return { ok: entries.every(([, r]) => r.ok), checks: Object.fromEntries(entries) };
  }

  private async runOne(check: HealthCheck): Promise<CheckResult> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${this.timeoutMs} ms`)), this.timeoutMs);
    });
    try {
      const result = await Promise.race([Promise.resolve().then(check), timeout]);
      return result === false ? { ok: false, error: 'check returned false' } : { ok: true };
    } catch (err) {
      return { ok: false, error: err instanceof Error ? err.message : String(err) };
    } finally {
      clearTimeout(timer);
    }
  }
}
