// Liveness says "this process is not stuck" (Kubernetes restarts it otherwise); readiness says
// "send me traffic" (dependencies reachable, migrations done, not shutting down). Both are named
// checks with a timeout, so one hung dependency makes readiness fail instead of hang.
import type { FastifyInstance } from 'fastify';

/** Any Fastify instance, whatever its server and logger types (NestJS: getHttpAdapter().getInstance()). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyFastifyInstance = FastifyInstance<any, any, any, any, any>;
import { HttpMetrics, UNMATCHED_ROUTE, type ServiceMetrics } from './metrics';

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

export interface OpsRoutesOptions {
  health: HealthChecks;
  metrics: ServiceMetrics;
}

/**
 * Mounts GET /healthz (liveness), GET /readyz (readiness) — 200 or 503 with a JSON report — and
 * GET /metrics (Prometheus text format) on a Fastify instance (for NestJS:
 * `app.getHttpAdapter().getInstance()` before `listen`).
 */
export function mountOpsRoutes(app: AnyFastifyInstance, { health, metrics }: OpsRoutesOptions): void {
  const report = (r: HealthReport) => ({ status: r.ok ? 'ok' : 'failing', checks: r.checks });
  app.get('/healthz', async (_req, reply) => {
    const r = await health.liveness();
    return reply.code(r.ok ? 200 : 503).send(report(r));
  });
  app.get('/readyz', async (_req, reply) => {
    const r = await health.readiness();
    return reply.code(r.ok ? 200 : 503).send(report(r));
  });
  app.get('/metrics', async (_req, reply) => {
    const text = await metrics.text();
    return reply.header('content-type', metrics.contentType).send(text);
  });
}

const OPS_ROUTES = new Set(['/healthz', '/readyz', '/metrics']);

/**
 * Records RED metrics for every request Fastify answers, labelled with the matched route
 * template (`request.routeOptions.url`), never the raw URL. Probes and scrapes are not counted.
 */
export function instrumentFastify(app: AnyFastifyInstance, metrics: ServiceMetrics | HttpMetrics): HttpMetrics {
  const http = metrics instanceof HttpMetrics ? metrics : new HttpMetrics(metrics);
  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? UNMATCHED_ROUTE;
    if (OPS_ROUTES.has(route)) return;
    http.observe(route, request.method, reply.statusCode, reply.elapsedTime / 1000);
  });
  return http;
}
