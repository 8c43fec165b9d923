import { createMetrics, HttpMetrics } from './metrics';

describe('ServiceMetrics', () => {
  it('labels every metric with the service and keeps registries apart', async () => {
    const a = createMetrics('swarm-store', { defaultMetrics: false });
    const b = createMetrics('open-groups', { defaultMetrics: false });
    a.counter('messages_stored_total', 'Messages stored', ['namespace']).inc({ namespace: '0' }, 3);
    let swarmSize = 5;
    a.gauge('swarm_size', 'Nodes in our swarm', [], function () {
      this.set(swarmSize);
    });
    swarmSize = 7; // read at scrape time
    const text = await a.text();
    expect(text).toContain('messages_stored_total{namespace="0",service="swarm-store"} 3');
    expect(text).toContain('swarm_size{service="swarm-store"} 7');
    expect(await b.text()).not.toContain('messages_stored_total');
    expect(text).not.toContain('process_cpu'); // default metrics switched off
  });

  it('times a request with HttpMetrics.start', async () => {
    const m = createMetrics('file-server', { defaultMetrics: false });
    const http = new HttpMetrics(m);
    const done = http.start('/file/:id', 'get');
    done(404);
    const text = await m.text();
    expect(text).toMatch(/http_requests_total\{route="\/file\/:id",method="GET",status="404",service="file-server"\} 1/);
    expect(text).toMatch(/http_request_duration_seconds_count\{[^}]*route="\/file\/:id"[^}]*\} 1/);
  });

  it('refuses to register the same metric name twice on one registry', () => {
    const m = createMetrics('registry', { defaultMetrics: false });
    m.counter('x_total', 'x');
    expect(() => m.counter('x_total', 'x')).toThrow(/already been registered/);
  });
});
