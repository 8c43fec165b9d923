import { readFileSync } from 'fs';
import { join } from 'path';
import { createMetrics, GrpcMetrics, HttpMetrics, labelCombinations, recordBuildInfo, starlingVersion } from './metrics';

describe('ServiceMetrics', () => {
  it('keeps registries apart and puts no service label on the series (the scraper sets it)', async () => {
    const a = createMetrics('swarm-store', { defaultMetrics: false });
    const b = createMetrics('open-groups', { defaultMetrics: false });
    a.counter('messages_stored_total', 'Messages stored', ['namespace']).inc({ namespace: '0' }, 3);
    let swarmSize = 5;
    a.gauge('swarm_size', 'Nodes in our swarm', [], function () {
      this.set(swarmSize);
    });
    swarmSize = 7; // read at scrape time
    const text = await a.text();
    expect(text).toContain('messages_stored_total{namespace="0"} 3');
    expect(text).toMatch(/^swarm_size 7$/m);
    expect(text).not.toContain('service=');
    expect(await b.text()).not.toContain('messages_stored_total');
    expect(text).not.toContain('process_cpu'); // default metrics switched off
  });

  it('times a request with HttpMetrics.start', async () => {
    const m = createMetrics('file-server', { defaultMetrics: false });
    const http = new HttpMetrics(m);
    const done = http.start('/file/:id', 'get');
    done(404);
    const text = await m.text();
    expect(text).toMatch(/http_requests_total\{route="\/file\/:id",method="GET",status="404"\} 1/);
    expect(text).toMatch(/http_request_duration_seconds_count\{[^}]*route="\/file\/:id"[^}]*\} 1/);
  });

  it('refuses to register the same metric name twice on one registry', () => {
    const m = createMetrics('registry', { defaultMetrics: false });
    m.counter('x_total', 'x');
    expect(() => m.counter('x_total', 'x')).toThrow(/already been registered/);
  });

  it('starts a counter at 0 for every known combination of label values, before its first event', async () => {
    const m = createMetrics('entry-relay', { defaultMetrics: false });
    const hops = m.counter('hops_total', 'h', ['entry', 'outcome'], { entry: ['http', 'grpc'], outcome: ['forwarded', 'timeout'] });
    hops.inc({ entry: 'http', outcome: 'forwarded' });
    m.counter('calls_total', 'c', ['kind', 'outcome'], [
      { kind: ['announce'], outcome: ['new'] },
      { kind: ['heartbeat'], outcome: ['recorded', 'unknown'] },
    ]);
    const text = await m.text();
    const samples = text.split('\n').filter((l) => /^(hops|calls)_total\{/.test(l));
    expect(samples.sort()).toEqual([
      'calls_total{kind="announce",outcome="new"} 0',
      'calls_total{kind="heartbeat",outcome="recorded"} 0',
      'calls_total{kind="heartbeat",outcome="unknown"} 0',
      'hops_total{entry="grpc",outcome="forwarded"} 0',
      'hops_total{entry="grpc",outcome="timeout"} 0',
      'hops_total{entry="http",outcome="forwarded"} 1',
      'hops_total{entry="http",outcome="timeout"} 0',
    ]);
    expect(labelCombinations({})).toEqual([{}]);
  });

  it('says which release runs: starling_build_info{version} 1, the repository version by default', async () => {
    const root = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'package.json'), 'utf8')) as { version: string };
    expect(starlingVersion()).toBe(root.version);
    expect(starlingVersion('/')).toBe('unknown');
    const m = createMetrics('registry', { defaultMetrics: false });
    recordBuildInfo(m, '1.2.3');
    expect(await m.text()).toMatch(/^starling_build_info\{version="1\.2\.3"\} 1$/m);
  });

  it('times gRPC calls by grpc_service, method and status code name', async () => {
    const m = createMetrics('swarm-store', { defaultMetrics: false });
    const grpc = new GrpcMetrics(m);
    grpc.client({ service: 'starling.registry.v1.RegistryService', method: 'Heartbeat', code: 14 }, 0.02);
    grpc.server({ service: 'starling.relay.v1.RelayService', method: 'ForwardOnion', code: 0 }, 0.003);
    const text = await m.text();
    expect(text).toMatch(/^grpc_client_duration_seconds_count\{grpc_service="starling\.registry\.v1\.RegistryService",method="Heartbeat",code="UNAVAILABLE"\} 1$/m);
    expect(text).toMatch(/^grpc_server_handled_seconds_count\{grpc_service="starling\.relay\.v1\.RelayService",method="ForwardOnion",code="OK"\} 1$/m);
  });
});
