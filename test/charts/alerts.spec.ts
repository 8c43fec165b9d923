// The PrometheusRules as rendered (umbrella, every alert on: fixtures/all-monitoring.yaml) checked
// by Prometheus' own promtool: `promtool check rules`, then `promtool test rules` with at least one
// test that makes each alert fire. The availability and volume alerts, which every chart renders
// from the library, get their tests from the tables below; each chart's own alerts from
// alerts/<chart>.test.yaml. Every runbook_url must lead to a section of deploy/helm/README.md.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import YAML from 'yaml';
import { HELM_DIR, SERVICE_CHARTS, UMBRELLA_CHART, chartDir, readYaml } from './charts';
import { type K8sObject, render as renderWith, renderCheckForSpec } from './render';

const renderCheck = renderCheckForSpec();
const NAMESPACE = 'starling';
const RUNBOOKS = (readYaml(path.join(chartDir('registry'), 'values.yaml')) as { metrics: { prometheusRule: { runbookBaseUrl: string } } }).metrics.prometheusRule.runbookBaseUrl;

interface Rule {
  alert?: string;
  expr: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}
interface ExpAlert {
  exp_labels: Record<string, string>;
  exp_annotations?: Record<string, string>;
}
interface AlertTest {
  eval_time: string;
  alertname: string;
  exp_alerts: ExpAlert[];
}
interface TestGroup {
  name?: string;
  interval: string;
  input_series: { series: string; values: string }[];
  alert_rule_test: AlertTest[];
}

function promtoolUnavailable(): string | undefined {
  return spawnSync('sh', ['-c', 'command -v promtool'], { encoding: 'utf8' }).status === 0 ? undefined : 'promtool not found (Debian package prometheus)';
}

/** Tests of the availability alerts of one service: some pods down, all down, none at all. */
function availabilityTests(service: string): TestGroup[] {
  const up = (pod: string, values: string, namespace = NAMESPACE) => ({ series: `up{namespace="${namespace}", service="${service}", pod="${pod}"}`, values });
  const labels = (severity: string) => ({ severity, namespace: NAMESPACE, service });
  return [
    {
      name: `${service}: one pod of two cannot be scraped`,
      interval: '1m',
      input_series: [up('p-0', '1x10'), up('p-1', '0x10')],
      alert_rule_test: [
        { eval_time: '6m', alertname: 'StarlingTargetDown', exp_alerts: [{ exp_labels: labels('warning'), exp_annotations: { summary: `${service}: 1 pod(s) cannot be scraped on the ops port.` } }] },
        { eval_time: '6m', alertname: 'StarlingServiceDown', exp_alerts: [] },
        { eval_time: '6m', alertname: 'StarlingServiceAbsent', exp_alerts: [] },
      ],
    },
    {
      name: `${service}: every pod down`,
      interval: '1m',
      input_series: [up('p-0', '0x10'), up('p-1', '0x10')],
      alert_rule_test: [{ eval_time: '3m', alertname: 'StarlingServiceDown', exp_alerts: [{ exp_labels: labels('critical'), exp_annotations: { summary: `${service}: no pod answers on the ops port.` } }] }],
    },
    {
      // Targets of the same service in another namespace (another install) do not hide the absence.
      name: `${service}: no target in this namespace`,
      interval: '1m',
      input_series: [up('p-0', '1x10', 'other')],
      alert_rule_test: [{ eval_time: '6m', alertname: 'StarlingServiceAbsent', exp_alerts: [{ exp_labels: labels('critical'), exp_annotations: { summary: `${service}: Prometheus has no target for it (no pod, or nothing scraped).` } }] }],
    },
  ];
}

/** Volume alerts of one claim: filling up within a day, then almost full. */
function volumeTests(claim: string): TestGroup[] {
  const series = (name: string, values: string) => ({ series: `${name}{namespace="${NAMESPACE}", persistentvolumeclaim="${claim}"}`, values });
  const labels = (severity: string) => ({ severity, namespace: NAMESPACE, persistentvolumeclaim: claim });
  return [
    {
      name: `${claim}: 24 GB of 100 GB free, losing 1.2 GB an hour`,
      interval: '1m',
      input_series: [series('kubelet_volume_stats_capacity_bytes', '100e9x480'), series('kubelet_volume_stats_available_bytes', '24e9-2e7x480')],
      alert_rule_test: [
        { eval_time: '7h', alertname: 'StarlingVolumeFillingUp', exp_alerts: [{ exp_labels: labels('warning'), exp_annotations: { summary: `Volume ${claim} will be full within a day at the current rate.` } }] },
        { eval_time: '7h', alertname: 'StarlingVolumeAlmostFull', exp_alerts: [] },
      ],
    },
    {
      name: `${claim}: 5 GB of 100 GB free`,
      interval: '1m',
      input_series: [series('kubelet_volume_stats_capacity_bytes', '100e9x10'), series('kubelet_volume_stats_available_bytes', '5e9x10')],
      alert_rule_test: [{ eval_time: '6m', alertname: 'StarlingVolumeAlmostFull', exp_alerts: [{ exp_labels: labels('critical'), exp_annotations: { summary: `Volume ${claim} has less than 10% space left.` } }] }],
    },
  ];
}

/** Claims whose volume alerts the all-monitoring scenario renders. */
const CLAIMS: Record<string, string> = { 'swarm-store': 'data-demo-swarm-store-3', 'file-server': 'demo-file-server-data' };

/** GitHub's anchor for a Markdown heading. */
function anchor(heading: string): string {
  return heading.trim().toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, '').replace(/\s/g, '-');
}

describe('alert rules under promtool', () => {
  let rules: Map<string, Rule[]>;
  let work: string;
  const reports: string[] = [];

  beforeAll(() => {
    if (renderCheck.unavailable) return;
    const result = renderWith(renderCheck.binary(), chartDir(UMBRELLA_CHART), [path.join(__dirname, 'fixtures', 'all-monitoring.yaml')]);
    if (!result.ok) throw new Error(result.stderr);
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'starling-rules-'));
    rules = new Map();
    for (const pr of result.objects.filter((o: K8sObject) => o.kind === 'PrometheusRule')) {
      const chart = pr.metadata.labels!['app.kubernetes.io/component']!;
      rules.set(chart, (pr.spec.groups as { rules: Rule[] }[]).flatMap((g) => g.rules));
      fs.writeFileSync(path.join(work, `${chart}.rules.yaml`), YAML.stringify({ groups: pr.spec.groups }));
    }
  });
  afterAll(() => {
    if (work) fs.rmSync(work, { recursive: true, force: true });
    if (reports.length > 0) console.log(reports.join('\n'));
  });

  it('every service chart renders a PrometheusRule', () => {
    if (renderCheck.unavailable) return;
    expect([...rules.keys()].sort()).toEqual([...SERVICE_CHARTS].sort());
  });

  it('promtool check rules accepts every rule file', () => {
    if (renderCheck.unavailable) return;
    const missing = promtoolUnavailable();
    if (missing) {
      if (process.env.CI) throw new Error(missing);
      return void console.log(`${missing}: promtool checks skipped`);
    }
    const r = spawnSync('promtool', ['check', 'rules', ...SERVICE_CHARTS.map((c) => `${c}.rules.yaml`)], { cwd: work, encoding: 'utf8' });
    reports.push(`$ promtool check rules ${SERVICE_CHARTS.map((c) => `${c}.rules.yaml`).join(' ')}\n${r.stdout}${r.stderr}`);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  it.each(SERVICE_CHARTS)('%s: promtool test rules, with a test that fires each alert', (chart) => {
    if (renderCheck.unavailable) return;
    const own = (readYaml(path.join(__dirname, 'alerts', `${chart}.test.yaml`)) as { tests: TestGroup[] }).tests;
    const tests = [...availabilityTests(chart), ...(CLAIMS[chart] ? volumeTests(CLAIMS[chart]!) : []), ...own];
    // Every alert the chart renders fires in some test.
    const alerts = rules.get(chart)!.map((r) => r.alert).filter((a): a is string => a !== undefined);
    const fired = new Set(tests.flatMap((t) => t.alert_rule_test.filter((a) => a.exp_alerts.length > 0).map((a) => a.alertname)));
    expect(alerts.filter((a) => !fired.has(a))).toEqual([]);
    for (const t of tests) for (const a of t.alert_rule_test) for (const e of a.exp_alerts) e.exp_annotations = { ...e.exp_annotations, runbook_url: `${RUNBOOKS}#${a.alertname.toLowerCase()}` };
    const file = path.join(work, `${chart}.test.yaml`);
    fs.writeFileSync(file, YAML.stringify({ rule_files: [`${chart}.rules.yaml`], evaluation_interval: '1m', tests }));
    const missing = promtoolUnavailable();
    if (missing) {
      if (process.env.CI) throw new Error(missing);
      return;
    }
    const r = spawnSync('promtool', ['test', 'rules', path.basename(file)], { cwd: work, encoding: 'utf8' });
    reports.push(`$ promtool test rules ${chart}.test.yaml   (${tests.length} test groups, alerts: ${alerts.join(', ')})\n${r.stdout}${r.stderr}`);
    expect(`${r.stdout}${r.stderr}`).toContain('SUCCESS');
    expect(r.status).toBe(0);
  });

  it('every alert has a severity, a summary and a runbook_url that leads to a README section', () => {
    if (renderCheck.unavailable) return;
    const readme = fs.readFileSync(path.join(HELM_DIR, 'README.md'), 'utf8');
    const anchors = new Set([...readme.matchAll(/^#{1,6}\s+(.+)$/gm)].map((m) => anchor(m[1]!)));
    const problems: string[] = [];
    for (const [chart, list] of rules) {
      for (const r of list) {
        if (!['warning', 'critical'].includes(r.labels?.severity ?? '')) problems.push(`${chart} ${r.alert}: severity`);
        if ((r.annotations?.summary ?? '').length < 10) problems.push(`${chart} ${r.alert}: summary`);
        const url = r.annotations?.runbook_url ?? '';
        if (!url.startsWith(`${RUNBOOKS}#`) || !anchors.has(url.slice(RUNBOOKS.length + 1))) problems.push(`${chart} ${r.alert}: runbook_url ${url} has no section in deploy/helm/README.md`);
        if (!/by \(namespace[,)]|absent\(/.test(r.expr) && !/^kubelet_volume|\(kubelet_volume/.test(r.expr)) problems.push(`${chart} ${r.alert}: not aggregated by namespace`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('alerts select this release only: namespace and service in every selector of a Starling series', () => {
    if (renderCheck.unavailable) return;
    const unscoped: string[] = [];
    for (const [chart, list] of rules) {
      for (const r of list) {
        for (const m of r.expr.matchAll(/([a-zA-Z_:][a-zA-Z0-9_:]*)\{([^}]*)\}/g)) {
          const external = m[1]!.startsWith('kubelet_');
          if (!m[2]!.includes(`namespace="${NAMESPACE}"`) || (!external && !m[2]!.includes(`service="${chart}"`))) unscoped.push(`${chart} ${r.alert}: ${m[0]}`);
        }
      }
    }
    expect(unscoped).toEqual([]);
  });
});
