// Every metric a dashboard queries is one the code registers (the commonest dashboard bug is a
// renamed metric). Registrations are read from services/*/src and libs/*/src (the platform, the
// shared service node); prom-client's default process/Node.js metrics count when the code
// collects them; `up` is Prometheus' own.
import * as fs from 'fs';
import * as path from 'path';
import { REPO_ROOT, SERVICE_CHARTS, UMBRELLA_CHART, chartDir, dashboardFiles, readJson, relative } from './charts';
import { EXTERNAL_SERIES, dashboardQueries, labelsInPromQL, metricNamesInPromQL, serviceLabelValues, metricNamesInVariableQuery, registeredSeries, registrationsInSource, seriesLabels, seriesNames } from './metric-names';
import { render as renderWith, renderCheckForSpec } from './render';

const PROMETHEUS_SERIES = new Set(EXTERNAL_SERIES.keys());


/** Labels a query uses that its metrics do not carry (selectors per metric; `by` on any of them). */
function labelProblems(labels: Map<string, Set<string> | undefined>, expr: string, where: string, variable: boolean): string[] {
  const problems: string[] = [];
  const known = (metric: string) => EXTERNAL_SERIES.get(metric) ?? labels.get(metric);
  const { selectors, grouping } = labelsInPromQL(expr);
  for (const s of selectors) {
    const allowed = known(s.metric);
    if (allowed) for (const l of s.labels) if (!allowed.has(l)) problems.push(`${where}: ${s.metric} has no label ${l}`);
  }
  const sets = (variable ? metricNamesInVariableQuery(expr) : metricNamesInPromQL(expr)).map(known);
  if (sets.every((set) => set !== undefined)) {
    for (const l of grouping) if (!sets.some((set) => set!.has(l))) problems.push(`${where}: no metric of the query has label ${l} (by)`);
  }
  return problems;
}

describe('metric name extraction', () => {
  it('finds ServiceMetrics helper calls and new Counter/Gauge/Histogram/Summary with literal names', () => {
    const source = `
      import { Counter, Histogram } from 'prom-client';
      import * as client from 'prom-client';
      const a = metrics.counter('a_total', 'help', ['x']);
      const b = this.metrics.gauge<'room'>(
        // comment between
        "b_bytes", 'help');
      const c = m.histogram(\`c_seconds\`, 'help', [], [1, 2]);
      const d = new Counter({ help: 'h', name: 'd_total' });
      const e = new client.Summary({ name: 'e_seconds', help: 'h' });
      const notAMetric = { name: 'get_swarm' };
      const dynamic = metrics.counter(prefix + '_total', 'help');
      const notMetricsApi = list.counter;
      collectDefaultMetrics({ register });
      const registry = createMetrics('swarm-store');
      const other = new ServiceMetrics('registry', { defaultMetrics: false });
      const service = await startService({ name: 'file-server', edge: { port: 0 } }, FileServerModule.forConfig(config));
      const unnamed = await startService(options, AppModule);
    `;
    const { registrations, collectsDefaults, services } = registrationsInSource(source);
    expect(services).toEqual(['swarm-store', 'registry', 'file-server']);
    expect(registrations.map((r) => [r.name, r.kind])).toEqual([
      ['a_total', 'counter'],
      ['b_bytes', 'gauge'],
      ['c_seconds', 'histogram'],
      ['d_total', 'counter'],
      ['e_seconds', 'summary'],
    ]);
    expect(collectsDefaults).toBe(true);
    expect(registrationsInSource('const x = 1;').collectsDefaults).toBe(false);
  });

  it('expands histograms and summaries into the series Prometheus stores', () => {
    expect(seriesNames({ name: 'h', kind: 'histogram' })).toEqual(['h_bucket', 'h_sum', 'h_count']);
    expect(seriesNames({ name: 's', kind: 'summary' })).toEqual(['s', 's_sum', 's_count']);
    expect(seriesNames({ name: 'g', kind: 'gauge' })).toEqual(['g']);
  });

  it('reads metric names, not functions, labels, strings, ranges, keywords or Grafana variables, from PromQL', () => {
    expect(
      metricNamesInPromQL(
        'histogram_quantile(0.99, sum by (le, route) (rate(http_request_duration_seconds_bucket{service="x", route=~"a|b"}[$__rate_interval])))',
      ),
    ).toEqual(['http_request_duration_seconds_bucket']);
    expect(metricNamesInPromQL('sum(a_total) / on (pod) group_left (node) b_info or vector(0) and c unless d offset 5m')).toEqual(['a_total', 'b_info', 'c', 'd']);
    expect(metricNamesInPromQL('count(up{job="$job"} == 1) * 1e3 > bool 0.5')).toEqual(['up']);
    expect(metricNamesInPromQL('rate(x_total[${__range}])')).toEqual(['x_total']);
    expect(metricNamesInVariableQuery('label_values(swarm_store_messages_held{namespace="a,b"}, pod)')).toEqual(['swarm_store_messages_held']);
    expect(metricNamesInVariableQuery('label_values(namespace)')).toEqual([]);
    expect(metricNamesInVariableQuery('query_result(topk(5, y_total))')).toEqual(['y_total']);
  });

  it('reads label names from literal label arrays, and leaves computed ones unknown', () => {
    const { registrations } = registrationsInSource(`
      m.counter('a_total', 'h', ['route', 'status'] as const);
      m.gauge('b', 'h');
      m.histogram('c_seconds', 'h', LABELS);
      new Gauge({ name: 'd', help: 'h', labelNames: ['room'] });
    `);
    expect(registrations.map((r) => [r.name, r.labels])).toEqual([
      ['a_total', ['route', 'status']],
      ['b', []],
      ['c_seconds', undefined],
      ['d', ['room']],
    ]);
    const labels = seriesLabels([{ name: 'h', kind: 'histogram', file: 'x', labels: ['route'] }]);
    expect(labels.get('h_bucket')?.has('le')).toBe(true);
    expect(labels.get('h_sum')?.has('le')).toBe(false);
    expect(labels.get('h_sum')?.has('route')).toBe(true);
    expect(labels.get('h_sum')?.has('pod')).toBe(true);
    // Labels that cannot be read stay unknown, also when the name is registered again.
    const unknown = seriesLabels([{ name: 'g', kind: 'gauge', file: 'x', labels: undefined }, { name: 'g', kind: 'gauge', file: 'y', labels: ['a'] }]);
    expect(unknown.get('g')).toBeUndefined();
  });

  it('reads the service names a query filters on', () => {
    expect(serviceLabelValues('a{service="x"} + b{service=~"y|z", pod="p"}')).toEqual(['x', 'y', 'z']);
  });

  it('reads selector and grouping labels from PromQL', () => {
    expect(labelsInPromQL('sum by (le, route) (rate(x_bucket{service="a,b", status=~"5..", pod=~"$pod"}[5m])) / on (pod) y{job!="z"}')).toEqual({
      selectors: [
        { metric: 'x_bucket', labels: ['service', 'status', 'pod'] },
        { metric: 'y', labels: ['job'] },
      ],
      grouping: ['le', 'route'],
    });
  });

  it('finds panel targets in nested rows and query variables', () => {
    const queries = dashboardQueries({
      panels: [{ title: 'row', panels: [{ title: 'inner', targets: [{ expr: 'a' }] }] }, { title: 'top', targets: [{ expr: 'b' }, { refId: 'x' }] }],
      templating: { list: [{ name: 'ds', type: 'datasource', query: 'prometheus' }, { name: 'pod', type: 'query', query: { query: 'label_values(c, pod)' } }] },
    });
    expect(queries.map((q) => [q.where, q.expr])).toEqual([
      ['panel "inner"', 'a'],
      ['panel "top"', 'b'],
      ['variable $pod', 'label_values(c, pod)'],
    ]);
  });
});

/** Where metrics are registered: every service's and every library's src/. */
const CODE_DIRS = ['services', 'libs'].flatMap((top) => fs.readdirSync(path.join(REPO_ROOT, top)).map((name) => path.join(REPO_ROOT, top, name, 'src')));

describe('dashboards query only registered metrics', () => {
  const codeDirs = CODE_DIRS;
  let registered: Set<string>;
  let labels: Map<string, Set<string> | undefined>;
  let services: Set<string>;

  beforeAll(async () => {
    const found = await registeredSeries(codeDirs);
    registered = found.series;
    labels = seriesLabels(found.registrations);
    services = found.services;
  });

  it('every service names its metrics registry after itself', () => {
    expect([...services].sort()).toEqual(['entry-relay', 'file-server', 'open-groups', 'push', 'registry', 'swarm-store']);
  });

  it.each(dashboardFiles().map((f) => [relative(f), f]))('%s filters on service names the code uses', (_name, file) => {
    const unknown = dashboardQueries(readJson(file)).flatMap((q) => serviceLabelValues(q.expr).filter((v) => !services.has(v)).map((v) => `${q.where}: service "${v}"`));
    expect(unknown).toEqual([]);
  });

  it('the services register metrics at all (the extractor sees the code)', () => {
    expect(registered.has('http_requests_total')).toBe(true);
    expect(registered.has('process_resident_memory_bytes')).toBe(true);
    expect(registered.size).toBeGreaterThan(40);
  });

  it.each(dashboardFiles().map((f) => [relative(f), f]))('%s', (_name, file) => {
    const queries = dashboardQueries(readJson(file));
    expect(queries.length).toBeGreaterThan(0);
    const unknown = queries.flatMap((q) =>
      (q.variable ? metricNamesInVariableQuery(q.expr) : metricNamesInPromQL(q.expr))
        .filter((name) => !registered.has(name) && !PROMETHEUS_SERIES.has(name))
        .map((name) => `${q.where}: ${name}`),
    );
    expect(unknown).toEqual([]);
  });

  it.each(dashboardFiles().map((f) => [relative(f), f]))('%s uses only labels its metrics carry', (_name, file) => {
    expect(dashboardQueries(readJson(file)).flatMap((q) => labelProblems(labels, q.expr, q.where, q.variable))).toEqual([]);
  });
});

describe('alert rules query only registered metrics', () => {
  const renderCheck = renderCheckForSpec();
  let registered: Set<string>;
  let labels: Map<string, Set<string> | undefined>;
  let services: Set<string>;
  beforeAll(async () => {
    const found = await registeredSeries(CODE_DIRS);
    registered = found.series;
    labels = seriesLabels(found.registrations);
    services = found.services;
  });

  it('every alert of every chart, as rendered with every rule on', () => {
    if (renderCheck.unavailable) return;
    const { objects, stderr } = renderWith(renderCheck.binary(), chartDir(UMBRELLA_CHART), [path.join(__dirname, 'fixtures', 'all-monitoring.yaml')]);
    expect(stderr).toBe('');
    const rules = objects.filter((o) => o.kind === 'PrometheusRule').flatMap((o) => (o.spec.groups as { rules: { alert?: string; expr: string }[] }[]).flatMap((g) => g.rules));
    expect(rules.length).toBeGreaterThan(SERVICE_CHARTS.length * 3);
    const unknown = rules.flatMap((r) => metricNamesInPromQL(r.expr).filter((n) => !registered.has(n) && !PROMETHEUS_SERIES.has(n)).map((n) => `${r.alert}: ${n}`));
    expect(unknown).toEqual([]);
    expect(rules.flatMap((r) => labelProblems(labels, r.expr, String(r.alert), false))).toEqual([]);
    expect(rules.flatMap((r) => serviceLabelValues(r.expr).filter((v) => !services.has(v)))).toEqual([]);
  });
});
