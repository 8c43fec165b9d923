// Every object every chart renders, in every values scenario (defaults, ci/*-values.yaml and the
// fixtures), is walked strictly against maintained models: the Kubernetes API (kubernetes-models),
// prometheus-operator's CRDs, and @grafana/schema for the dashboards inside their ConfigMaps. An
// unknown field, a value of the wrong kind or outside an enum fails, and so do the models' own
// checks (required fields, formats). Runs where render-check runs.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import YAML from 'yaml';
import { INSTALLABLE_CHARTS, UMBRELLA_CHART, chartDir, ciValueFiles, relative } from './charts';
import { type K8sObject, render as renderWith, renderCheckForSpec } from './render';
import { StrictWalker, kubernetesModel, validateWithModel, type ModelRef } from './strict-walk';

const renderCheck = renderCheckForSpec();
const render = (chart: string, files: string[]) => renderWith(renderCheck.binary(), chartDir(chart), files);
const FIXTURES = path.join(__dirname, 'fixtures');

/** Kinds the charts render; a kind missing here fails the walk (no model, no check). */
const KINDS: [string, string][] = [
  ['v1', 'ConfigMap'], ['v1', 'Secret'], ['v1', 'Service'], ['v1', 'ServiceAccount'], ['v1', 'PersistentVolumeClaim'],
  ['apps/v1', 'Deployment'], ['apps/v1', 'StatefulSet'], ['autoscaling/v2', 'HorizontalPodAutoscaler'],
  ['policy/v1', 'PodDisruptionBudget'], ['networking.k8s.io/v1', 'NetworkPolicy'], ['networking.k8s.io/v1', 'Ingress'],
  ['monitoring.coreos.com/v1', 'ServiceMonitor'], ['monitoring.coreos.com/v1', 'PrometheusRule'],
];
const GRAFANA = '@grafana/schema/dist/types/raw';
/** Panel types the dashboards use, with the model of their options (and custom field config). */
const PANELS: Record<string, { options: ModelRef; custom?: ModelRef }> = {
  timeseries: { options: { module: `${GRAFANA}/composable/timeseries/panelcfg/x/types.gen`, type: 'Options' }, custom: { module: `${GRAFANA}/composable/timeseries/panelcfg/x/types.gen`, type: 'FieldConfig' } },
  stat: { options: { module: `${GRAFANA}/composable/stat/panelcfg/x/types.gen`, type: 'Options' } },
};

let walker: StrictWalker;
beforeAll(() => {
  const models: Record<string, ModelRef> = { dashboard: { module: `${GRAFANA}/dashboard/x/types.gen`, type: 'Dashboard' } };
  for (const [apiVersion, kind] of KINDS) models[`${apiVersion}/${kind}`] = kubernetesModel(apiVersion, kind);
  for (const [type, refs] of Object.entries(PANELS)) {
    models[`panel:${type}`] = refs.options;
    if (refs.custom) models[`panel:${type}:custom`] = refs.custom;
  }
  walker = new StrictWalker(models);
}, 120_000);

/** Problems of one Grafana dashboard: the dashboard model, then each panel's options by its type. */
export function dashboardProblems(dashboard: unknown): string[] {
  const problems = walker.walk('dashboard', dashboard);
  const panels = (dashboard as { panels?: { type?: string; title?: string; options?: unknown; fieldConfig?: { defaults?: { custom?: unknown } }; panels?: unknown[] }[] }).panels ?? [];
  for (const panel of panels.flatMap((p) => [p, ...((p.panels ?? []) as typeof panels)])) {
    if (panel.type === 'row') continue;
    const at = `panel "${panel.title}"`;
    if (!walker.has(`panel:${panel.type}`)) {
      problems.push(`${at}: no @grafana/schema model for panel type ${panel.type}`);
      continue;
    }
    problems.push(...walker.walk(`panel:${panel.type}`, panel.options ?? {}, `${at}.options`));
    const custom = panel.fieldConfig?.defaults?.custom;
    if (custom !== undefined) problems.push(...(walker.has(`panel:${panel.type}:custom`) ? walker.walk(`panel:${panel.type}:custom`, custom, `${at}.fieldConfig.defaults.custom`) : [`${at}: custom field config without a model`]));
  }
  return problems;
}

/** Problems of one rendered object: the strict walk, the model's validator, dashboards inside. */
function objectProblems(o: K8sObject): string[] {
  const id = `${o.kind}/${o.metadata?.name}`;
  const model = `${o.apiVersion}/${o.kind}`;
  if (!walker.has(model)) return [`${id}: no model for ${o.apiVersion} ${o.kind}`];
  const problems = [...walker.walk(model, o), ...validateWithModel(o.apiVersion, o.kind, o)];
  if (o.kind === 'ConfigMap' && o.metadata.labels?.grafana_dashboard) {
    for (const [key, text] of Object.entries(o.data ?? {})) problems.push(...dashboardProblems(JSON.parse(text)).map((p) => `${key} ${p}`));
  }
  return problems.map((p) => `${id} ${p}`);
}

interface Scenario {
  chart: string;
  name: string;
  files: string[];
}

function scenarios(): Scenario[] {
  const out: Scenario[] = [];
  for (const chart of [...INSTALLABLE_CHARTS, UMBRELLA_CHART]) {
    out.push({ chart, name: 'defaults', files: [] });
    for (const f of ciValueFiles(chart)) out.push({ chart, name: relative(f), files: [f] });
  }
  out.push({ chart: 'registry', name: 'fixtures/global-database.yaml', files: [path.join(FIXTURES, 'global-database.yaml')] });
  out.push({ chart: 'swarm-store', name: 'ci/per-node-database + fixtures/global-database.yaml', files: [path.join(chartDir('swarm-store'), 'ci', 'per-node-database-values.yaml'), path.join(FIXTURES, 'global-database.yaml')] });
  out.push({ chart: UMBRELLA_CHART, name: 'fixtures/all-monitoring.yaml', files: [path.join(FIXTURES, 'all-monitoring.yaml')] });
  return out;
}

describe('strict walk of every rendered object against maintained models', () => {
  const summary: string[] = [];
  afterAll(() => {
    if (summary.length > 0) console.log(`strict walk (kubernetes-models, prometheus-operator models, @grafana/schema):\n${summary.join('\n')}`);
  });

  it.each(scenarios().map((s) => [s.chart, s.name, s] as const))('%s with %s', (_chart, _name, scenario) => {
    if (renderCheck.unavailable) return;
    const result = render(scenario.chart, scenario.files);
    expect(result.stderr).toBe('');
    const problems = result.objects.flatMap(objectProblems);
    const dashboards = result.objects.filter((o) => o.kind === 'ConfigMap' && o.metadata.labels?.grafana_dashboard).length;
    const kinds = [...new Set(result.objects.map((o) => o.kind))].sort().join(', ');
    summary.push(`  ${scenario.chart} ${scenario.name}: ${result.objects.length} objects (${kinds}), ${dashboards} dashboards, ${problems.length} problems`);
    expect(problems).toEqual([]);
  });
});

describe('the walk fails on what the API server would drop or refuse', () => {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'strict-walk-'));
  afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));
  const valuesFile = (values: unknown) => {
    const file = path.join(scratch, `values-${fs.readdirSync(scratch).length}.yaml`);
    fs.writeFileSync(file, YAML.stringify(values));
    return file;
  };

  it('a misspelled securityContext field (readOnlyRootFileSystem) in the values', () => {
    if (renderCheck.unavailable) return;
    const file = valuesFile({ containerSecurityContext: { readOnlyRootFileSystem: true, runAsNonRoot: true } });
    const { objects, stderr } = render('registry', [file]);
    expect(stderr).toBe('');
    const problems = objects.flatMap(objectProblems);
    expect(problems).toEqual(['Deployment/demo-registry .spec.template.spec.containers[0].securityContext.readOnlyRootFileSystem: no such field in ISecurityContext']);
  });

  it('a misspelled relabeling field and an unknown action in the ServiceMonitor', () => {
    if (renderCheck.unavailable) return;
    const file = valuesFile({ metrics: { serviceMonitor: { enabled: true, relabelings: [{ sourceLabel: ['pod'], action: 'rename' }] } } });
    const problems = render('registry', [file]).objects.flatMap(objectProblems);
    expect(problems).toContain('ServiceMonitor/demo-registry .spec.endpoints[0].relabelings[1].sourceLabel: no such field in { action, modulus, regex, replacement, separator, sourceLabels, targetLabel }');
    expect(problems.some((p) => p.includes('.relabelings[1].action: "rename" is none of'))).toBe(true);
  });

  it('a number where the model has a string, and an unknown kind', () => {
    expect(walker.walk('v1/ConfigMap', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', labels: { a: 1 } } })).toEqual(['.metadata.labels.a: 1 where the model has string']);
    expect(objectProblems({ apiVersion: 'apps/v1', kind: 'Deploymnet', metadata: { name: 'x' } })).toEqual(['Deploymnet/x: no model for apps/v1 Deploymnet']);
  });

  it('dashboards: an unknown panel field, a wrong option value and a panel type without a model', () => {
    const dashboard = {
      title: 't',
      panels: [
        { type: 'timeseries', title: 'a', fieldconfig: {}, options: { legend: { displayMode: 'table', placement: 'bottom', showLegend: true, calcs: [] }, tooltip: { mode: 'several', sort: 'none' } } },
        { type: 'graph', title: 'b' },
      ],
    };
    expect(dashboardProblems(dashboard)).toEqual([
      '.panels[0].fieldconfig: no such field in Panel',
      'panel "a".options.tooltip.mode: "several" is none of "multi", "none", "single"',
      'panel "b": no @grafana/schema model for panel type graph',
    ]);
  });
});
