// Where the Helm charts live and how to read their static files (shared by the chart specs).
import * as fs from 'fs';
import * as path from 'path';
import YAML from 'yaml';

export const REPO_ROOT = path.resolve(__dirname, '..', '..');
export const HELM_DIR = path.join(REPO_ROOT, 'deploy', 'helm');
export const CHARTS_DIR = path.join(HELM_DIR, 'charts');

/** Charts that install a service, in the order of DESIGN.md's table. */
export const SERVICE_CHARTS = ['registry', 'swarm-store', 'entry-relay', 'file-server', 'open-groups', 'push'] as const;
/** coturn for calls: not a Starling service (its own image and program), switched by global.turn.enabled. */
export const TURN_CHART = 'turn';
/** Charts that install workloads on their own. */
export const INSTALLABLE_CHARTS = [...SERVICE_CHARTS, TURN_CHART] as const;
export const UMBRELLA_CHART = 'starling';
export const LIBRARY_CHART = 'starling-common';
/** Charts with values (the library chart has none of its own). */
export const VALUE_CHARTS = [...INSTALLABLE_CHARTS, UMBRELLA_CHART] as const;
export const ALL_CHARTS = [...VALUE_CHARTS, LIBRARY_CHART] as const;

export function chartDir(chart: string): string {
  return path.join(CHARTS_DIR, chart);
}

export function readYaml(file: string): unknown {
  // uniqueKeys and strict parsing: a duplicated key in values.yaml is an error, not a silent override.
  const docs = YAML.parseAllDocuments(fs.readFileSync(file, 'utf8'), { uniqueKeys: true, strict: true });
  const errors = docs.flatMap((d) => d.errors.map((e) => e.message));
  if (errors.length > 0) throw new Error(`${path.relative(REPO_ROOT, file)}: ${errors.join('; ')}`);
  if (docs.length !== 1) throw new Error(`${path.relative(REPO_ROOT, file)}: expected one YAML document, found ${docs.length}`);
  return docs[0]!.toJS();
}

export function readJson(file: string): unknown {
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}

/** Files directly in a chart folder matching a suffix, e.g. ciValueFiles('registry'). */
export function filesIn(dir: string, suffix: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith(suffix))
    .sort()
    .map((f) => path.join(dir, f));
}

export function ciValueFiles(chart: string): string[] {
  return filesIn(path.join(chartDir(chart), 'ci'), '-values.yaml');
}

export function dashboardFiles(): string[] {
  return ALL_CHARTS.flatMap((c) => filesIn(path.join(chartDir(c), 'dashboards'), '.json'));
}

export function relative(file: string): string {
  return path.relative(REPO_ROOT, file);
}

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
