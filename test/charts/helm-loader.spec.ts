// The charts load the way `helm install` loads them after the README's `helm dependency build`:
// each file:// dependency packaged from the files Helm keeps (its .helmignore applied), the parent
// loaded with its own .helmignore (which Helm also applies to charts/*.tgz, helm/helm#12992), and
// every dependency in Chart.yaml found among the loaded subcharts, down to the library chart inside
// the service charts' archives.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import YAML from 'yaml';
import { CHARTS_DIR, INSTALLABLE_CHARTS, LIBRARY_CHART, UMBRELLA_CHART } from './charts';
import { HelmIgnore, chartFiles, goGlobToRegExp } from './helm-ignore';

interface ChartMeta {
  name: string;
  version: string;
  dependencies?: { name: string; version: string; repository: string; alias?: string }[];
}

interface LoadedChart {
  meta: ChartMeta;
  files: string[];
  subcharts: LoadedChart[];
}

function tar(args: string[]): string {
  const r = spawnSync('tar', args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`tar ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

/** `helm dependency build` for file:// dependencies: each one saved as charts/<name>-<version>.tgz. */
function dependencyBuild(dir: string, scratch: string): void {
  const meta = YAML.parse(fs.readFileSync(path.join(dir, 'Chart.yaml'), 'utf8')) as ChartMeta;
  for (const dep of meta.dependencies ?? []) {
    if (!dep.repository.startsWith('file://')) continue;
    const source = path.resolve(dir, dep.repository.slice('file://'.length));
    const stage = fs.mkdtempSync(path.join(scratch, 'stage-'));
    for (const file of chartFiles(source)) {
      fs.mkdirSync(path.dirname(path.join(stage, dep.name, file)), { recursive: true });
      fs.copyFileSync(path.join(source, file), path.join(stage, dep.name, file));
    }
    fs.mkdirSync(path.join(dir, 'charts'), { recursive: true });
    tar(['-czf', path.join(dir, 'charts', `${dep.name}-${dep.version}.tgz`), '-C', stage, dep.name]);
  }
}

/** A subchart from an archive: every entry under its top folder (Helm applies no ignore rules there). */
function loadArchive(archive: string): LoadedChart {
  const entries = tar(['-tzf', archive]).split('\n').filter((e) => e && !e.endsWith('/'));
  const top = entries[0]!.split('/')[0]!;
  const files = entries.map((e) => e.slice(top.length + 1));
  const meta = YAML.parse(tar(['-xzOf', archive, `${top}/Chart.yaml`])) as ChartMeta;
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'chart-archive-'));
  try {
    const subcharts = files.filter((f) => /^charts\/[^/]+\.tgz$/.test(f)).map((f) => {
      tar(['-xzf', archive, '-C', scratch, `${top}/${f}`]);
      return loadArchive(path.join(scratch, top, f));
    });
    return { meta, files, subcharts };
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

/** Helm's LoadDir: the files its .helmignore keeps, subcharts from charts/*.tgz and charts/<dir>/. */
function loadDir(dir: string): LoadedChart {
  const files = chartFiles(dir);
  const meta = YAML.parse(fs.readFileSync(path.join(dir, 'Chart.yaml'), 'utf8')) as ChartMeta;
  const archives = files.filter((f) => /^charts\/[^/]+\.tgz$/.test(f)).map((f) => loadArchive(path.join(dir, f)));
  const folders = [...new Set(files.filter((f) => /^charts\/[^/]+\/Chart\.yaml$/.test(f)).map((f) => path.dirname(f)))].map((f) => loadDir(path.join(dir, f)));
  return { meta, files, subcharts: [...archives, ...folders] };
}

/** Helm's CheckDependencies, all the way down: the dependencies Chart.yaml lists but no subchart provides. */
function missingDependencies(chart: LoadedChart, trail = chart.meta.name): string[] {
  const missing = (chart.meta.dependencies ?? [])
    .filter((dep) => !chart.subcharts.some((s) => s.meta.name === dep.name && s.meta.version === dep.version))
    .map((dep) => `${trail}: found in Chart.yaml, but missing in charts/ directory: ${dep.alias ?? dep.name}`);
  return [...missing, ...chart.subcharts.flatMap((s) => missingDependencies(s, `${trail} > ${s.meta.name}`))];
}

describe("Helm's .helmignore rules", () => {
  const ignores = (rules: string, name: string, isDir = false) => HelmIgnore.parse(rules).ignores(name, isDir);

  it.each([
    // pattern, path, is a directory, ignored
    ['*.tgz', 'charts/starling-common-0.1.0.tgz', false, true],
    ['*.txt', 'a.txt', false, true],
    ['*.txt', 'deep/er/a.txt', false, true],
    ['docs/*.md', 'docs/a.md', false, true],
    ['docs/*.md', 'other/docs/a.md', false, false],
    ['docs/*', 'docs/sub/a.md', false, false],
    ['/top.txt', 'top.txt', false, true],
    ['/top.txt', 'dir/top.txt', false, false],
    ['v[0-9]?.yaml', 'v1a.yaml', false, true],
    ['v[^0-9].yaml', 'v1.yaml', false, false],
    ['build/', 'build', true, true],
    ['build/', 'build', false, false],
    ['.*', '.git', true, true],
    ['.*', '.', true, false],
    ['.*', 'values.yaml', false, false],
    // A negated rule ignores whatever it does not match (Helm's semantics, not .gitignore's).
    ['!keep.txt', 'keep.txt', false, false],
    ['!keep.txt', 'other.txt', false, true],
    ['!dir/', 'file.txt', false, true],
  ] as const)('%s on %s (dir %s): ignored %s', (rule, name, isDir, expected) => {
    expect(ignores(rule, name, isDir)).toBe(expected);
  });

  it('refuses ** and patterns Go cannot compile, reads comments and blank lines as nothing', () => {
    expect(() => HelmIgnore.parse('a/**/b')).toThrow('double-star');
    for (const bad of ['[z-', '[]a]', 'a\\', '[a-']) expect(() => goGlobToRegExp(bad)).toThrow('syntax error');
    expect(ignores('# *.yaml\n\n   \n', 'values.yaml')).toBe(false);
    expect(ignores('  *.yaml  ', 'values.yaml')).toBe(true);
  });

  it('the first deciding rule wins and the default hides dotfiles in templates/', () => {
    expect(ignores('a.txt\n!b.txt', 'a.txt')).toBe(true);
    expect(ignores('!b.txt\na.txt', 'a.txt')).toBe(true); // the negation decides first
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'helmignore-'));
    try {
      fs.mkdirSync(path.join(dir, 'templates'));
      fs.mkdirSync(path.join(dir, 'skipped'));
      for (const f of ['Chart.yaml', 'templates/a.yaml', 'templates/.hidden.yaml', 'skipped/x.yaml', 'notes.bak']) fs.writeFileSync(path.join(dir, f), '');
      fs.writeFileSync(path.join(dir, '.helmignore'), 'skipped/\n*.bak\n');
      expect(chartFiles(dir)).toEqual(['.helmignore', 'Chart.yaml', 'templates/a.yaml']);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('charts load with their dependencies after `helm dependency build`', () => {
  let work: string;
  beforeAll(() => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'starling-helm-load-'));
    fs.cpSync(CHARTS_DIR, path.join(work, 'charts'), { recursive: true, filter: (src) => !/\/charts\/[^/]+\/charts(\/|$)/.test(src) });
    // The README's order: the service charts (each gets the library), then the umbrella.
    for (const chart of [...INSTALLABLE_CHARTS, UMBRELLA_CHART]) dependencyBuild(path.join(work, 'charts', chart), work);
  });
  afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

  it.each([...INSTALLABLE_CHARTS, UMBRELLA_CHART])('%s', (chart) => {
    const loaded = loadDir(path.join(work, 'charts', chart));
    expect(missingDependencies(loaded)).toEqual([]);
    expect(loaded.files).toContain('values.schema.json');
    expect(loaded.files.some((f) => f.startsWith('templates/'))).toBe(true);
  });

  it('the umbrella carries every service chart, each with the library chart inside', () => {
    const loaded = loadDir(path.join(work, 'charts', UMBRELLA_CHART));
    const names = loaded.subcharts.map((s) => s.meta.name).sort();
    expect(names).toEqual([...INSTALLABLE_CHARTS, LIBRARY_CHART].sort());
    for (const s of loaded.subcharts.filter((c) => c.meta.name !== LIBRARY_CHART)) expect(s.subcharts.map((c) => c.meta.name)).toEqual([LIBRARY_CHART]);
  });

  it('a .helmignore that hides *.tgz loses the dependencies (the failure helm/helm#12992 describes)', () => {
    const copy = path.join(work, 'hidden-tgz');
    fs.cpSync(path.join(work, 'charts', 'registry'), copy, { recursive: true });
    fs.appendFileSync(path.join(copy, '.helmignore'), '*.tgz\n');
    expect(missingDependencies(loadDir(copy))).toEqual([`registry: found in Chart.yaml, but missing in charts/ directory: ${LIBRARY_CHART}`]);
  });
});
