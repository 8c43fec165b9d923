// Metric names on both sides of a dashboard: the series a PromQL query reads, and the series the
// services register with prom-client. Registrations are found in the TypeScript syntax tree, not
// with a regular expression, so that formatting, comments and generics do not matter.
import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';
import { Registry, collectDefaultMetrics } from 'prom-client';

export type MetricKind = 'counter' | 'gauge' | 'histogram' | 'summary';

export interface Registration {
  name: string;
  kind: MetricKind;
  file: string;
  /** Label names when given as a literal array; undefined when they cannot be read statically. */
  labels?: string[];
}

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const FACTORY_METHODS: Record<string, MetricKind> = { counter: 'counter', gauge: 'gauge', histogram: 'histogram', summary: 'summary' };
const CLASSES: Record<string, MetricKind> = { Counter: 'counter', Gauge: 'gauge', Histogram: 'histogram', Summary: 'summary' };

function literalText(node: ts.Node | undefined): string | undefined {
  if (node && (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node))) return node.text;
  return undefined;
}

/** ['a', 'b'] (also `as const`) -> names; absent -> []; anything else -> undefined (unknown). */
function literalLabels(node: ts.Node | undefined): string[] | undefined {
  if (node === undefined) return [];
  const inner = ts.isAsExpression(node) ? node.expression : node;
  if (!ts.isArrayLiteralExpression(inner)) return undefined;
  const names = inner.elements.map((e) => literalText(e));
  return names.every((n): n is string => n !== undefined) ? names : undefined;
}

/**
 * Registrations in one source text:
 *  - `<anything>.counter('name', ...)` (and gauge/histogram/summary): the platform's ServiceMetrics helper;
 *  - `new Counter({ name: 'name', ... })` (and Gauge/Histogram/Summary, also `new client.Counter`).
 * Names that are not literals cannot be checked and are left out.
 */
export function registrationsInSource(text: string, file = 'source.ts'): { registrations: Registration[]; collectsDefaults: boolean; services: string[] } {
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
  const registrations: Registration[] = [];
  const services: string[] = [];
  let collectsDefaults = false;
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node)) {
      const callee = node.expression;
      const method = ts.isPropertyAccessExpression(callee) ? callee.name.text : ts.isIdentifier(callee) ? callee.text : undefined;
      if (method === 'collectDefaultMetrics') collectsDefaults = true;
      // createMetrics('<service>') sets the `service` label on every series of that registry, and
      // startService({ name: '<service>' }) makes the service's registry with that name.
      const service =
        method === 'createMetrics' ? literalText(node.arguments[0]) : method === 'startService' ? literalText(objectProperty(node.arguments[0], 'name')) : undefined;
      if (service !== undefined) services.push(service);
      const kind = method !== undefined && ts.isPropertyAccessExpression(callee) ? FACTORY_METHODS[method] : undefined;
      const name = literalText(node.arguments[0]);
      if (kind && name !== undefined && METRIC_NAME.test(name)) registrations.push({ name, kind, file, labels: literalLabels(node.arguments[2]) });
    }
    if (ts.isNewExpression(node)) {
      const callee = node.expression;
      const cls = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : undefined;
      const kind = cls !== undefined ? CLASSES[cls] : undefined;
      const service = cls === 'ServiceMetrics' ? literalText(node.arguments?.[0]) : undefined;
      if (service !== undefined) services.push(service);
      const options = node.arguments?.[0];
      if (kind && options) {
        const name = literalText(objectProperty(options, 'name'));
        if (name !== undefined && METRIC_NAME.test(name)) registrations.push({ name, kind, file, labels: literalLabels(objectProperty(options, 'labelNames')) });
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return { registrations, collectsDefaults, services };
}

/** The value of `key` in an object literal, when the expression is one. */
function objectProperty(node: ts.Expression | undefined, key: string): ts.Expression | undefined {
  if (!node || !ts.isObjectLiteralExpression(node)) return undefined;
  for (const prop of node.properties) {
    if (ts.isPropertyAssignment(prop) && (ts.isIdentifier(prop.name) || ts.isStringLiteral(prop.name)) && prop.name.text === key) return prop.initializer;
  }
  return undefined;
}

/** The series names Prometheus stores for one registration. */
export function seriesNames(r: Pick<Registration, 'name' | 'kind'>): string[] {
  switch (r.kind) {
    case 'histogram':
      return [`${r.name}_bucket`, `${r.name}_sum`, `${r.name}_count`];
    case 'summary':
      return [r.name, `${r.name}_sum`, `${r.name}_count`];
    default:
      return [r.name];
  }
}

function sourceFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === 'node_modules' || e.name === 'dist' ? [] : sourceFiles(full);
    return e.name.endsWith('.ts') && !e.name.endsWith('.spec.ts') && !e.name.endsWith('.d.ts') ? [full] : [];
  });
}

/** prom-client's default process/Node.js series, asked from prom-client itself. */
export async function defaultMetricSeries(): Promise<Set<string>> {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const metrics = await registry.getMetricsAsJSON();
  return new Set(metrics.flatMap((m) => seriesNames({ name: m.name, kind: String(m.type) as MetricKind })));
}

/** Series from outside the services: Prometheus' own `up`, and the kubelet's volume statistics. */
export const EXTERNAL_SERIES: Map<string, Set<string>> = new Map([
  ['up', new Set(['service', 'pod', 'namespace', 'instance', 'job', 'container', 'endpoint'])],
  ...['kubelet_volume_stats_available_bytes', 'kubelet_volume_stats_capacity_bytes'].map((n) => [n, new Set(['namespace', 'persistentvolumeclaim', 'instance', 'job', 'node'])] as [string, Set<string>]),
]);

/** Labels a series may carry besides its registered ones: the scrape target labels (`service`
 * from the ServiceMonitor's relabeling, pod, namespace, ...), and the histogram/summary bucket
 * labels. The services put none of these on their series themselves. */
export const IMPLICIT_LABELS = ['service', 'pod', 'namespace', 'instance', 'job', 'container', 'endpoint'];

/**
 * Label names per series, or undefined when unknown (labels not literal, or a default metric).
 */
export function seriesLabels(registrations: Registration[]): Map<string, Set<string> | undefined> {
  const out = new Map<string, Set<string> | undefined>();
  for (const r of registrations) {
    for (const series of seriesNames(r)) {
      const extra = series.endsWith('_bucket') ? ['le'] : r.kind === 'summary' && series === r.name ? ['quantile'] : [];
      const labels = r.labels === undefined ? undefined : new Set([...r.labels, ...IMPLICIT_LABELS, ...extra]);
      const known = out.get(series);
      // The same name registered twice (two services): the union of what each may carry; one
      // registration with labels that cannot be read makes them unknown.
      out.set(series, labels === undefined || (out.has(series) && known === undefined) ? undefined : new Set([...(known ?? []), ...labels]));
    }
  }
  return out;
}

/** Every series the code under the given folders registers (plus defaults when it collects them). */
export async function registeredSeries(dirs: string[]): Promise<{ series: Set<string>; registrations: Registration[]; services: Set<string> }> {
  const registrations: Registration[] = [];
  const services = new Set<string>();
  let collectsDefaults = false;
  for (const file of dirs.flatMap(sourceFiles)) {
    const found = registrationsInSource(fs.readFileSync(file, 'utf8'), file);
    registrations.push(...found.registrations);
    found.services.forEach((s) => services.add(s));
    collectsDefaults ||= found.collectsDefaults;
  }
  const series = new Set(registrations.flatMap(seriesNames));
  if (collectsDefaults) for (const s of await defaultMetricSeries()) series.add(s);
  return { series, registrations, services };
}

/** Values a query compares the `service` label with (`service="a"`, `service=~"a|b"`). */
export function serviceLabelValues(expr: string): string[] {
  return [...expr.matchAll(/\bservice\s*(=~|=)\s*"([^"]*)"/g)].flatMap((m) => (m[1] === '=~' ? m[2]!.split('|') : [m[2]!]));
}

const PROMQL_KEYWORDS = new Set(['and', 'or', 'unless', 'by', 'without', 'on', 'ignoring', 'group_left', 'group_right', 'bool', 'offset', 'inf', 'nan', 'atan2']);

/**
 * Metric names a PromQL expression reads. Strings, label matchers, ranges, Grafana variables and
 * grouping clauses are removed first; an identifier followed by "(" is a function.
 */
export function metricNamesInPromQL(expr: string): string[] {
  let s = expr;
  s = s.replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`/g, ' ');
  s = s.replace(/\{[^}]*\}/g, ' ');
  s = s.replace(/\[[^\]]*\]/g, ' ');
  s = s.replace(/\$\{[^}]*\}|\$\w+/g, ' ');
  s = s.replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ');
  const names = new Set<string>();
  const token = /[a-zA-Z_:][a-zA-Z0-9_:]*/g;
  let m: RegExpExecArray | null;
  while ((m = token.exec(s)) !== null) {
    const before = s[m.index - 1];
    if (before !== undefined && /[0-9.]/.test(before)) continue; // 1e3, 0.5e-2
    const after = s.slice(m.index + m[0].length).trimStart();
    if (after.startsWith('(')) continue; // function call
    if (PROMQL_KEYWORDS.has(m[0].toLowerCase())) continue;
    names.add(m[0]);
  }
  return [...names];
}

/** A Grafana template variable query: `label_values(<expr>, label)` reads <expr>; other forms are PromQL. */
export function metricNamesInVariableQuery(query: string): string[] {
  const labelValues = /^\s*label_values\((.*)\)\s*$/s.exec(query);
  if (labelValues) {
    const inner = labelValues[1]!;
    const lastComma = inner.lastIndexOf(',');
    return lastComma < 0 ? [] : metricNamesInPromQL(inner.slice(0, lastComma));
  }
  const queryResult = /^\s*query_result\((.*)\)\s*$/s.exec(query);
  if (queryResult) return metricNamesInPromQL(queryResult[1]!);
  if (/^\s*(label_names|metrics)\(/.test(query)) return [];
  return metricNamesInPromQL(query);
}

export interface DashboardQuery {
  where: string;
  expr: string;
  variable: boolean;
}

/** Every PromQL expression of a dashboard: panel targets (nested rows too) and query variables. */
export function dashboardQueries(dashboard: unknown): DashboardQuery[] {
  const out: DashboardQuery[] = [];
  const d = dashboard as { panels?: unknown[]; templating?: { list?: unknown[] } };
  const walkPanels = (panels: unknown[] | undefined): void => {
    for (const p of panels ?? []) {
      const panel = p as { title?: string; targets?: { expr?: string }[]; panels?: unknown[] };
      for (const t of panel.targets ?? []) if (typeof t.expr === 'string') out.push({ where: `panel "${panel.title}"`, expr: t.expr, variable: false });
      walkPanels(panel.panels);
    }
  };
  walkPanels(d.panels);
  for (const v of d.templating?.list ?? []) {
    const variable = v as { name?: string; type?: string; query?: unknown };
    if (variable.type !== 'query') continue;
    const q = typeof variable.query === 'string' ? variable.query : (variable.query as { query?: string } | undefined)?.query;
    if (typeof q === 'string') out.push({ where: `variable $${variable.name}`, expr: q, variable: true });
  }
  return out;
}

/**
 * Label names a PromQL expression uses: per metric in its selectors (`m{a="x"}`), and the
 * grouping labels of `by (...)`, which must exist on some metric of the expression.
 */
export function labelsInPromQL(expr: string): { selectors: { metric: string; labels: string[] }[]; grouping: string[] } {
  const noStrings = expr.replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'/g, '""').replace(/\$\{[^}]*\}|\$\w+/g, 'X');
  const selectors = [...noStrings.matchAll(/([a-zA-Z_:][a-zA-Z0-9_:]*)\s*\{([^}]*)\}/g)].map((m) => ({
    metric: m[1]!,
    labels: [...m[2]!.matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)\s*(?:=~|!~|!=|=)/g)].map((l) => l[1]!),
  }));
  const grouping = [...noStrings.matchAll(/\bby\s*\(([^)]*)\)/g)].flatMap((m) => m[1]!.split(',').map((l) => l.trim()).filter(Boolean));
  return { selectors, grouping };
}
