// Renders a chart with deploy/helm/tools/render-check (a Go text/template + sprig stand-in for
// `helm template`, see its header) where the Go toolchain and Debian's sprig sources exist.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import YAML from 'yaml';
import { HELM_DIR } from './charts';

const GOPATH_SYSTEM = '/usr/share/gocode';
const NEEDED_SOURCES = ['github.com/Masterminds/sprig', 'github.com/Masterminds/semver', 'gopkg.in/yaml.v3'];

export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  spec?: any;
  data?: Record<string, string>;
  stringData?: Record<string, string>;
}

/** Why the stand-in cannot run here, or undefined when it can. */
export function renderCheckUnavailable(): string | undefined {
  if (spawnSync('sh', ['-c', 'command -v go'], { encoding: 'utf8' }).status !== 0) return 'go not found';
  const missing = NEEDED_SOURCES.filter((p) => !fs.existsSync(path.join(GOPATH_SYSTEM, 'src', p)));
  return missing.length > 0 ? `Go sources not found in ${GOPATH_SYSTEM}: ${missing.join(', ')}` : undefined;
}

/** Builds the binary in GOPATH mode; sprig/semver are imported as /v3, so the GOPATH maps those paths. */
export function buildRenderCheck(): { binary: string; cleanup(): void } {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'render-check-'));
  const src = path.join(work, 'src');
  for (const lib of ['sprig', 'semver']) {
    fs.mkdirSync(path.join(src, 'github.com', 'Masterminds', lib), { recursive: true });
    fs.symlinkSync(path.join(GOPATH_SYSTEM, 'src', 'github.com', 'Masterminds', lib), path.join(src, 'github.com', 'Masterminds', lib, 'v3'));
  }
  const pkg = path.join(src, 'render-check');
  fs.mkdirSync(pkg, { recursive: true });
  fs.copyFileSync(path.join(HELM_DIR, 'tools', 'render-check', 'main.go'), path.join(pkg, 'main.go'));
  const binary = path.join(work, 'render-check');
  const r = spawnSync('go', ['build', '-o', binary, '.'], {
    cwd: pkg,
    encoding: 'utf8',
    env: { ...process.env, GO111MODULE: 'off', GOPATH: `${work}:${GOPATH_SYSTEM}`, GOFLAGS: '', GOCACHE: process.env.GOCACHE ?? path.join(os.tmpdir(), 'starling-go-cache') },
  });
  if (r.status !== 0) throw new Error(`go build of render-check failed:\n${r.stderr}`);
  return { binary, cleanup: () => fs.rmSync(work, { recursive: true, force: true }) };
}

export interface RenderResult {
  ok: boolean;
  objects: K8sObject[];
  stderr: string;
}

/** Renders in strict mode (a missing key is an error, as with `helm lint --strict`). */
export function render(binary: string, chartDir: string, valueFiles: string[]): RenderResult {
  const r = spawnSync(binary, [chartDir, ...valueFiles], { encoding: 'utf8', env: { ...process.env, STRICT: '1' }, maxBuffer: 64 * 1024 * 1024 });
  const objects = r.status === 0
    ? YAML.parseAllDocuments(r.stdout)
        .map((d) => d.toJS() as K8sObject | null)
        .filter((o): o is K8sObject => o !== null && typeof o === 'object')
    : [];
  return { ok: r.status === 0, objects, stderr: r.stderr };
}

/**
 * Builds render-check once for a spec file. Where it cannot run, says so on the console (in CI,
 * which installs Go and the sprig sources, that is a failure). Call at the top of a describe file.
 */
export function renderCheckForSpec(): { unavailable: string | undefined; binary(): string } {
  const unavailable = renderCheckUnavailable();
  let built: { binary: string; cleanup(): void } | undefined;
  beforeAll(() => {
    if (unavailable) {
      if (process.env.CI) throw new Error(`render-check not available in CI (${unavailable})`);
      console.log(`render-check not available (${unavailable}): chart rendering checks skipped`);
      return;
    }
    built = buildRenderCheck();
  }, 300_000);
  afterAll(() => built?.cleanup());
  return {
    unavailable,
    binary: () => {
      if (!built) throw new Error('render-check was not built');
      return built.binary;
    },
  };
}
