import { Writable } from 'stream';
import { Edge } from './edge/edge';
import { opsRoutes } from './edge/ops-routes';
import { jsonReply } from './edge/reply';
import { HealthChecks } from './health';
import { createLogger } from './logger';
import { createMetrics, HttpMetrics } from './metrics';

describe('HealthChecks', () => {
  it('passes when every check resolves and reports each failure by name', async () => {
    const health = new HealthChecks(100);
    health.addLiveness('event-loop', () => true);
    health.addReadiness('database', async () => undefined);
    health.addReadiness('redis', () => {
      throw new Error('connection refused');
    });
    health.addReadiness('peers', () => false);
    health.addReadiness('hung', () => new Promise(() => undefined));
    expect(await health.liveness()).toEqual({ ok: true, checks: { 'event-loop': { ok: true } } });
    expect(await health.readiness()).toEqual({
      ok: false,
      checks: {
        database: { ok: true },
        redis: { ok: false, error: 'connection refused' },
        peers: { ok: false, error: 'check returned false' },
        hung: { ok: false, error: 'no answer within 100 ms' },
      },
    });
  });

  it('stops being ready once shutdown starts, but stays live', async () => {
    const health = new HealthChecks();
    health.addReadiness('database', () => true);
    expect((await health.readiness()).ok).toBe(true);
    health.markShuttingDown();
    expect(await health.readiness()).toEqual({
      ok: false,
      checks: { database: { ok: true }, shutdown: { ok: false, error: 'shutting down' } },
    });
    expect((await health.liveness()).ok).toBe(true);
  });
});

describe('ops routes on their own listener, beside a public edge', () => {
  let edge: Edge;
  let ops: Edge;
  let dbUp = true;
  const logLines: string[] = [];

  beforeAll(async () => {
    const destination = new Writable({
      write(chunk: Buffer, _enc, done) {
        logLines.push(chunk.toString());
        done();
      },
    });
    const logger = createLogger('test-service', { destination, level: 'info' });
    const metrics = createMetrics('test-service');
    const health = new HealthChecks().addReadiness('database', () => dbUp);
    const hops = metrics.counter('onion_hops_relayed_total', 'Onion requests forwarded', ['next']);
    edge = new Edge({ host: '127.0.0.1', port: 0, maxBodyBytes: 1024 }, logger, new HttpMetrics(metrics));
    edge.mount({
      resolve: (method, path) =>
        method === 'GET' && /^\/room\/[^/]+\/messages$/.test(path)
          ? { route: '/room/:token/messages', handle: () => (hops.inc({ next: 'storage' }), jsonReply(200, { messages: [] })) }
          : undefined,
    });
    edge.route({ method: 'POST', path: '/fail', handle: () => jsonReply(400, { error: 'bad' }) });
    ops = new Edge({ host: '127.0.0.1', port: 0, maxBodyBytes: 0 }, logger).route(...opsRoutes(health, metrics));
    await edge.listen();
    await ops.listen();
  });
  afterAll(async () => {
    await edge.close(0);
    await ops.close(0);
  });

  it('answers /healthz and /readyz with 200, then 503 when a check fails', async () => {
    const live = await fetch(`${ops.url}/healthz`);
    expect(live.status).toBe(200);
    expect(await live.json()).toEqual({ status: 'ok', checks: {} });
    expect((await fetch(`${ops.url}/readyz`)).status).toBe(200);
    dbUp = false;
    const ready = await fetch(`${ops.url}/readyz`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toEqual({ status: 'failing', checks: { database: { ok: false, error: 'check returned false' } } });
    dbUp = true;
  });

  it('serves Prometheus text with RED metrics by route template and the service label, and no ops route in public', async () => {
    await fetch(`${edge.url}/room/lobby/messages`);
    await fetch(`${edge.url}/room/secret-room-42/messages`);
    await fetch(`${edge.url}/fail`, { method: 'POST' });
    await fetch(`${edge.url}/no/such/path`);
    expect((await fetch(`${edge.url}/metrics`)).status).toBe(404);
    const res = await fetch(`${ops.url}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await res.text();
    // No `service` label: the scraper sets it (see metrics.ts).
    const svc = {};
    const room = { ...svc, route: '/room/:token/messages', method: 'GET', status: '200' };
    expect(sample(text, 'http_requests_total', room)).toBe(2);
    expect(sample(text, 'http_requests_total', { ...svc, route: '/fail', method: 'POST', status: '400' })).toBe(1);
    expect(sample(text, 'http_requests_total', { ...svc, route: 'unmatched', method: 'GET', status: '404' })).toBe(2);
    expect(sample(text, 'http_request_duration_seconds_count', room)).toBe(2);
    expect(sample(text, 'http_request_duration_seconds_bucket', { ...room, le: '+Inf' })).toBe(2);
    expect(sample(text, 'onion_hops_relayed_total', { ...svc, next: 'storage' })).toBe(2);
    expect(sample(text, 'process_cpu_user_seconds_total', svc)).toBeGreaterThan(0);
    expect(text).not.toContain('secret-room-42');
    expect(text).not.toContain('/no/such/path');
    expect(text).not.toMatch(/route="\/(healthz|readyz|metrics)"/);
  });

  it('logs nothing about requests, so no client address or forwarded header', async () => {
    await fetch(`${edge.url}/room/lobby/messages`, { headers: { 'x-forwarded-for': '198.51.100.23', 'user-agent': 'probe-agent' } });
    const all = logLines.join('');
    expect(all).not.toContain('127.0.0.1');
    expect(all).not.toContain('198.51.100.23');
    expect(all).not.toContain('probe-agent');
    expect(all).not.toContain('remoteAddress');
  });
});

/** Value of one sample in Prometheus text format, matching labels in any order; NaN if absent. */
function sample(text: string, name: string, labels: Record<string, string>): number {
  for (const line of text.split('\n')) {
    const m = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const got = Object.fromEntries([...(m[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((x) => [x[1], x[2]]));
    if (Object.keys(got).length === Object.keys(labels).length && Object.entries(labels).every(([k, v]) => got[k] === v)) {
      return Number(m[3]);
    }
  }
  return NaN;
}
