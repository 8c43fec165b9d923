// The charts' static files: Chart.yaml metadata and file:// dependencies, template helpers that
// exist, generated files (schemas, dashboards) that are current, hardened defaults, and env
// variables that the services really read (as the built services list them with --help).
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import {
  ALL_CHARTS, HELM_DIR, INSTALLABLE_CHARTS, LIBRARY_CHART, REPO_ROOT, SERVICE_CHARTS, TURN_CHART, UMBRELLA_CHART, chartDir, dashboardFiles, filesIn, isObject, readJson, readYaml, relative,
} from './charts';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const generators = { schemas: require(path.join(HELM_DIR, 'tools', 'schemas.js')), dashboards: require(path.join(HELM_DIR, 'tools', 'dashboards.js')) } as Record<string, { render(): Record<string, string> }>;

interface ChartMeta {
  apiVersion: string;
  name: string;
  version: string;
  type?: string;
  appVersion?: string;
  dependencies?: { name: string; version: string; repository: string; condition?: string }[];
}

const meta = (chart: string) => readYaml(path.join(chartDir(chart), 'Chart.yaml')) as ChartMeta;

function templateFiles(chart: string): string[] {
  const dir = path.join(chartDir(chart), 'templates');
  return fs.readdirSync(dir).sort().map((f) => path.join(dir, f));
}

describe('Chart.yaml', () => {
  it.each(ALL_CHARTS)('%s: apiVersion v2, name matches the folder, semver version', (chart) => {
    const m = meta(chart);
    expect(m.apiVersion).toBe('v2');
    expect(m.name).toBe(chart);
    expect(m.version).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('the library chart is a library and every other chart an application', () => {
    expect(meta(LIBRARY_CHART).type).toBe('library');
    for (const c of [...INSTALLABLE_CHARTS, UMBRELLA_CHART]) expect(meta(c).type).toBe('application');
  });

  it.each([...INSTALLABLE_CHARTS, UMBRELLA_CHART])('%s depends on starling-common through file:// at its version', (chart) => {
    const dep = meta(chart).dependencies?.find((d) => d.name === LIBRARY_CHART);
    expect(dep?.repository).toBe(`file://../${LIBRARY_CHART}`);
    expect(dep?.version).toBe(meta(LIBRARY_CHART).version);
  });

  it('the umbrella installs every service chart, each behind <name>.enabled', () => {
    const deps = meta(UMBRELLA_CHART).dependencies ?? [];
    for (const service of SERVICE_CHARTS) {
      const dep = deps.find((d) => d.name === service);
      expect(dep).toEqual({ name: service, version: meta(service).version, repository: `file://../${service}`, condition: `${service}.enabled` });
    }
    const values = readYaml(path.join(chartDir(UMBRELLA_CHART), 'values.yaml')) as Record<string, { enabled?: boolean }>;
    for (const service of SERVICE_CHARTS) expect(values[service]?.enabled).toBe(true);
  });

  it('the umbrella installs the TURN server behind global.turn.enabled, off by default', () => {
    const dep = (meta(UMBRELLA_CHART).dependencies ?? []).find((d) => d.name === TURN_CHART);
    expect(dep).toEqual({ name: TURN_CHART, version: meta(TURN_CHART).version, repository: `file://../${TURN_CHART}`, condition: 'global.turn.enabled' });
    const values = readYaml(path.join(chartDir(UMBRELLA_CHART), 'values.yaml')) as { global: { turn: { enabled: boolean } }; turn: unknown };
    expect(values.global.turn.enabled).toBe(false);
    expect(values.turn).toEqual({});
  });

  it('every file:// dependency points at a chart folder', () => {
    for (const chart of ALL_CHARTS) {
      for (const dep of meta(chart).dependencies ?? []) {
        const target = path.resolve(chartDir(chart), dep.repository.replace('file://', ''));
        expect(fs.existsSync(path.join(target, 'Chart.yaml'))).toBe(true);
      }
    }
  });
});

describe('templates', () => {
  const defined = new Set<string>();
  const defineRe = /\{\{-?\s*define\s+"([^"]+)"/g;
  for (const chart of ALL_CHARTS) {
    for (const file of templateFiles(chart)) for (const m of fs.readFileSync(file, 'utf8').matchAll(defineRe)) defined.add(m[1]!);
  }

  it.each(ALL_CHARTS)('%s: every included helper is defined (in the chart or starling-common)', (chart) => {
    const missing: string[] = [];
    for (const file of templateFiles(chart)) {
      for (const m of fs.readFileSync(file, 'utf8').matchAll(/include\s+"([^"]+)"/g)) if (!defined.has(m[1]!)) missing.push(`${relative(file)}: ${m[1]}`);
    }
    expect(missing).toEqual([]);
  });

  it.each(ALL_CHARTS)('%s: template actions are balanced', (chart) => {
    for (const file of templateFiles(chart)) {
      const text = fs.readFileSync(file, 'utf8');
      expect({ file: relative(file), open: (text.match(/\{\{/g) ?? []).length }).toEqual({ file: relative(file), open: (text.match(/\}\}/g) ?? []).length });
      const opens = (text.match(/\{\{-?\s*(if|range|with|define)\b/g) ?? []).length;
      const ends = (text.match(/\{\{-?\s*end\b/g) ?? []).length;
      expect({ file: relative(file), blocks: opens }).toEqual({ file: relative(file), blocks: ends });
    }
  });

  it('the library chart only defines helpers', () => {
    for (const file of templateFiles(LIBRARY_CHART)) expect(path.basename(file)).toMatch(/^_.*\.tpl$/);
  });

  it.each(SERVICE_CHARTS)('%s runs its own entrypoint, which the service builds from src/main.ts', (chart) => {
    const text = templateFiles(chart).map((f) => fs.readFileSync(f, 'utf8')).join('\n');
    expect(text).toContain(`"services/${chart}/dist/main.js"`);
    expect(fs.existsSync(path.join(REPO_ROOT, 'services', chart, 'src', 'main.ts'))).toBe(true);
  });
});

describe('environment variables set by the charts', () => {
  // Set for Kubernetes' sake, or read by libraries (the platform logger, pg) rather than by a config spec.
  const PLATFORM = new Set(['NODE_ENV', 'POD_NAME', 'POD_INDEX', 'POD_IP', 'PGPASSWORD', 'LOG_LEVEL']);
  // The library's helpers by name, so that a chart is held to the variables of the helpers it uses.
  const helpers = new Map(
    templateFiles(LIBRARY_CHART)
      .map((f) => fs.readFileSync(f, 'utf8'))
      .flatMap((text) => [...text.matchAll(/\{\{-?\s*define\s+"([^"]+)"\s*-?\}\}([\s\S]*?)\{\{-?\s*end\s*-?\}\}\s*(?=\{\{\/\*|\{\{-?\s*define|$)/g)].map((m) => [m[1]!, m[2]!] as const)),
  );
  /** The text of every library helper `text` includes, and of the helpers those include. */
  const usedHelpers = (text: string): string => {
    const seen = new Set<string>();
    const visit = (t: string): void => {
      for (const [, name] of t.matchAll(/include\s+"([^"]+)"/g)) {
        if (seen.has(name!) || !helpers.has(name!)) continue;
        seen.add(name!);
        visit(helpers.get(name!)!);
      }
    };
    visit(text);
    return [...seen].map((name) => helpers.get(name)).join('\n');
  };

  it('splits the library into its helpers, and follows the includes of a chart', () => {
    const defines = templateFiles(LIBRARY_CHART).map((f) => fs.readFileSync(f, 'utf8').match(/\{\{-?\s*define\s/g)?.length ?? 0).reduce((a, b) => a + b, 0);
    expect(helpers.size).toBe(defines);
    expect(helpers.get('starling.nodeEnv')).toContain('- name: REGISTRY_PUBKEY');
    expect(helpers.get('starling.nodeEnv')).not.toContain('define');
    expect(usedHelpers('{{ include "starling.nodeEnv" . }}')).toContain('REGISTRY_PUBKEY');
    expect(usedHelpers('{{ include "starling.podSpec" . }}')).not.toContain('REGISTRY_PUBKEY');
    expect(usedHelpers('{{ include "starling.podSpec" . }}')).toContain('- name: LOG_LEVEL'); // through starling.container
  });

  /** What the built service says it reads: `main.js --help` prints one `NAME: ...` line per setting. */
  function settingsOf(service: string): Set<string> {
    const main = path.join(REPO_ROOT, 'services', service, 'dist', 'main.js');
    if (!fs.existsSync(main)) throw new Error(`${relative(main)} is missing: build the services first (npx nx run-many -t build)`);
    const r = spawnSync(process.execPath, [main, '--help'], { encoding: 'utf8', env: { PATH: process.env.PATH ?? '' }, timeout: 60_000 });
    if (r.status !== 0) throw new Error(`${relative(main)} --help exited ${r.status}: ${r.stderr}`);
    const names = [...r.stdout.matchAll(/^([A-Z][A-Z0-9_]*): /gm)].map((m) => m[1]!);
    if (names.length === 0) throw new Error(`${relative(main)} --help listed no settings:\n${r.stdout}`);
    return new Set(names);
  }

  it.each(SERVICE_CHARTS)('%s: every variable the chart sets is read by the service or the platform library', (chart) => {
    const reads = settingsOf(chart);
    const own = templateFiles(chart).map((f) => fs.readFileSync(f, 'utf8')).join('\n');
    const text = own + usedHelpers(own);
    const names = new Set([...text.matchAll(/- name: ([A-Z][A-Z0-9_]+)\s*$/gm)].map((m) => m[1]!));
    // DATABASE_URL / REDIS_URL come from the library's connection helper for charts that have the block.
    const values = readYaml(path.join(chartDir(chart), 'values.yaml')) as Record<string, unknown>;
    if (!('redis' in values)) names.delete('REDIS_URL');
    if (!('database' in values)) names.delete('DATABASE_URL');
    const unread = [...names].filter((n) => !PLATFORM.has(n) && !reads.has(n));
    expect(unread).toEqual([]);
  });
});

describe('secure defaults', () => {
  it.each(SERVICE_CHARTS)('%s: restricted securityContext, NetworkPolicy, probes and resources are on', (chart) => {
    const v = readYaml(path.join(chartDir(chart), 'values.yaml')) as Record<string, any>;
    expect(v.podSecurityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
    expect(v.containerSecurityContext).toMatchObject({
      runAsNonRoot: true,
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ['ALL'] },
      seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(v.serviceAccount.automountServiceAccountToken).toBe(false);
    expect(v.networkPolicy.enabled).toBe(true);
    for (const probe of ['startup', 'readiness', 'liveness']) expect(v.probes[probe].enabled).toBe(true);
    expect(v.probes.readiness.path).toBe('/readyz');
    expect(v.probes.liveness.path).toBe('/healthz');
    for (const kind of ['requests', 'limits']) expect(Object.keys(v.resources[kind]).sort()).toEqual(['cpu', 'memory']);
  });

  it('turn: restricted pod (NET_BIND_SERVICE the only capability added back), NetworkPolicy, TCP probes, resources, nothing logged, one immutable image', () => {
    const v = readYaml(path.join(chartDir(TURN_CHART), 'values.yaml')) as Record<string, any>;
    expect(v.podSecurityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 65534, seccompProfile: { type: 'RuntimeDefault' } });
    expect(v.containerSecurityContext).toMatchObject({
      runAsNonRoot: true,
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      privileged: false,
      capabilities: { drop: ['ALL'], add: ['NET_BIND_SERVICE'] },
      seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(v.serviceAccount.automountServiceAccountToken).toBe(false);
    expect(v.networkPolicy.enabled).toBe(true);
    for (const probe of ['startup', 'readiness', 'liveness']) expect(v.probes[probe]).toMatchObject({ enabled: true, port: 'turn-tcp' });
    for (const kind of ['requests', 'limits']) expect(Object.keys(v.resources[kind]).sort()).toEqual(['cpu', 'memory']);
    expect(v.logging).toBe('none');
    expect(v.metrics.enabled).toBe(false);
    expect(v.service.exposeRelayPorts).toBe(false);
    expect(v.updateStrategy).toEqual({ type: 'Recreate' });
    // A revision tag (-r<N>) is never rebuilt; it carries the coturn release the chart names.
    expect(v.image.tag).toMatch(new RegExp(`^${meta(TURN_CHART).appVersion!.replace(/\./g, '\\.')}-r[0-9]+-debian$`));
  });

  it('swarm-store is a StatefulSet of peers with a volume per pod, a PDB and no HPA', () => {
    const v = readYaml(path.join(chartDir('swarm-store'), 'values.yaml')) as Record<string, any>;
    expect(v.podManagementPolicy).toBe('Parallel');
    expect(v.persistence.enabled).toBe(true);
    expect(v.podDisruptionBudget).toEqual({ enabled: true, maxUnavailable: 1 });
    expect(v.autoscaling).toBeUndefined();
    const templates = templateFiles('swarm-store').map((f) => fs.readFileSync(f, 'utf8')).join('\n');
    expect(templates).toMatch(/kind: StatefulSet/);
    expect(templates).toMatch(/volumeClaimTemplates:/);
    expect(templates).not.toMatch(/starling\.hpa/);
  });

  it('entry-relay deploys three relay groups behind LoadBalancers with an HPA each; the registry, file server and community server one replica (embedded storage)', () => {
    const relay = readYaml(path.join(chartDir('entry-relay'), 'values.yaml')) as Record<string, any>;
    expect(relay.groups).toHaveLength(3);
    expect(relay.service.type).toBe('LoadBalancer');
    expect(relay.autoscaling.enabled).toBe(true);
    const registry = readYaml(path.join(chartDir('registry'), 'values.yaml')) as Record<string, any>;
    expect(registry.replicaCount).toBe(1);
    for (const chart of ['file-server', 'open-groups']) expect((readYaml(path.join(chartDir(chart), 'values.yaml')) as { replicaCount: number }).replicaCount).toBe(1);
  });
});

describe('generated files are current', () => {
  it.each(Object.keys(generators))('deploy/helm/tools/%s.js output matches the committed files', (name) => {
    const rendered = generators[name]!.render();
    expect(Object.keys(rendered).length).toBeGreaterThan(0);
    for (const [file, text] of Object.entries(rendered)) {
      expect({ file, text: fs.readFileSync(path.join(HELM_DIR, file), 'utf8') }).toEqual({ file, text });
    }
  });
});

describe('dashboards', () => {
  const files = dashboardFiles();

  it('there is one for the network, the registry, relays, swarm storage, the file server, communities and push', () => {
    expect(files.map((f) => path.basename(f)).sort()).toEqual(['communities.json', 'file-server.json', 'network-overview.json', 'push.json', 'registry.json', 'relays.json', 'swarm-storage.json']);
  });

  it.each(files.map((f) => [relative(f), f]))('%s parses, has a unique uid, a datasource variable and panels, and fits a ConfigMap', (_name, file) => {
    const d = readJson(file) as { uid?: string; title?: string; panels?: unknown[]; templating?: { list?: { name?: string; type?: string }[] } };
    expect(d.uid).toMatch(/^[a-zA-Z0-9_-]{1,40}$/);
    expect(d.title).toMatch(/^Starling \/ /);
    expect(d.templating?.list?.some((v) => v.type === 'datasource')).toBe(true);
    expect(d.panels?.length).toBeGreaterThan(0);
    expect(fs.statSync(file).size).toBeLessThan(1024 * 1024);
    const uids = files.map((f) => (readJson(f) as { uid: string }).uid);
    expect(uids.filter((u) => u === d.uid)).toHaveLength(1);
  });

  it.each(files.map((f) => [relative(f), f]))('%s: one row per concern; every panel has a description, a unit and thresholds', (_name, file) => {
    const d = readJson(file) as { panels: { type: string; title: string; description?: string; fieldConfig?: { defaults?: { unit?: string; thresholds?: { steps?: unknown[] } } } }[] };
    const rows = d.panels.filter((p) => p.type === 'row').map((p) => p.title);
    expect(rows.length).toBeGreaterThanOrEqual(3);
    expect(new Set(rows).size).toBe(rows.length);
    expect(d.panels[0]!.type).toBe('row');
    const lacking = d.panels
      .filter((p) => p.type !== 'row')
      .filter((p) => !(p.description && p.description.length > 10 && p.fieldConfig?.defaults?.unit && (p.fieldConfig.defaults.thresholds?.steps?.length ?? 0) > 0))
      .map((p) => p.title);
    expect(lacking).toEqual([]);
  });

  it('every chart with dashboards renders them through the library helper', () => {
    for (const chart of ALL_CHARTS) {
      if (filesIn(path.join(chartDir(chart), 'dashboards'), '.json').length === 0) continue;
      const text = templateFiles(chart).map((f) => fs.readFileSync(f, 'utf8')).join('\n');
      expect({ chart, uses: /starling\.(dashboards|commonObjects)/.test(text) }).toEqual({ chart, uses: true });
    }
  });

  it('dashboard ConfigMaps carry the Grafana sidecar label by default', () => {
    for (const chart of [...SERVICE_CHARTS, UMBRELLA_CHART]) {
      const v = readYaml(path.join(chartDir(chart), 'values.yaml')) as { dashboards: { labels: unknown } };
      expect(isObject(v.dashboards.labels) && v.dashboards.labels.grafana_dashboard).toBe('1');
    }
  });
});

describe('container image', () => {
  const dockerfile = fs.readFileSync(path.join(REPO_ROOT, 'Dockerfile'), 'utf8');
  const dockerignore = fs.readFileSync(path.join(REPO_ROOT, '.dockerignore'), 'utf8').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));

  it('builds on node:20-bookworm-slim in two stages and runs node as a numeric non-root user', () => {
    expect(dockerfile).toMatch(/^ARG NODE_IMAGE=node:20-bookworm-slim$/m);
    expect(dockerfile.match(/^FROM \$\{NODE_IMAGE\} AS (\w+)$/gm)).toEqual(['FROM ${NODE_IMAGE} AS build', 'FROM ${NODE_IMAGE} AS runtime']);
    expect(dockerfile).toMatch(/^RUN npm ci --no-audit --no-fund$/m);
    expect(dockerfile).toMatch(/^RUN npx nx run-many -t build/m);
    expect(dockerfile).toMatch(/npm ci --omit=dev/);
    const users = [...dockerfile.matchAll(/^USER (\S+)$/gm)].map((m) => m[1]);
    expect(users).toEqual(['1001:1001']);
    expect(dockerfile).toMatch(/^ENTRYPOINT \["node"\]$/m);
  });

  it.each(SERVICE_CHARTS)('%s: the entrypoint the chart runs is what tsc emits for src/main.ts', (service) => {
    const tsconfig = readJson(path.join(REPO_ROOT, 'services', service, 'tsconfig.build.json')) as { compilerOptions?: { rootDir?: string; outDir?: string } };
    expect(tsconfig.compilerOptions).toMatchObject({ rootDir: 'src', outDir: 'dist' });
    expect(dockerfile).toContain(`services/${service}/dist/main.js`);
  });

  it('.dockerignore keeps sources, protos, migrations and data files in the build context', () => {
    for (const needed of ['proto', 'libs', 'services', 'package-lock.json', 'libs/crypto/data', 'services/registry/migrations']) {
      expect({ needed, ignored: dockerignore.filter((p) => p === needed || needed.startsWith(`${p}/`)) }).toEqual({ needed, ignored: [] });
    }
    for (const excluded of ['**/node_modules', '**/dist', '.git']) expect(dockerignore).toContain(excluded);
  });
});
