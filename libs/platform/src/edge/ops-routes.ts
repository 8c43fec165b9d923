// The ops routes, served on a cluster-only port of their own (never on the public edge):
// GET /healthz (liveness), GET /readyz (readiness) — 200 or 503 with a JSON report — and
// GET /metrics (Prometheus text format).
import type { HealthChecks, HealthReport } from '../health';
import type { ServiceMetrics } from '../metrics';
import { bytesReply, jsonReply } from './reply';
import type { ExactRoute } from './routes';

export function opsRoutes(health: HealthChecks, metrics: ServiceMetrics): ExactRoute[] {
  const report = (r: HealthReport) => jsonReply(r.ok ? 200 : 503, { status: r.ok ? 'ok' : 'failing', checks: r.checks });
  return [
    { method: 'GET', path: '/healthz', handle: async () => report(await health.liveness()) },
    { method: 'GET', path: '/readyz', handle: async () => report(await health.readiness()) },
    { method: 'GET', path: '/metrics', handle: async () => bytesReply(200, metrics.contentType, Buffer.from(await metrics.text())) },
  ];
}
