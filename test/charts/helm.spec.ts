// `helm lint --strict` and `helm template` for every chart with each of its ci/*-values.yaml, run
// only where a helm binary is on the PATH (it cannot be installed on the project's machines). When
// it is missing the test says so on the console instead of passing silently.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import YAML from 'yaml';
import { CHARTS_DIR, INSTALLABLE_CHARTS, UMBRELLA_CHART, ciValueFiles, relative } from './charts';

function findHelm(): string | undefined {
  const which = spawnSync('sh', ['-c', 'command -v helm'], { encoding: 'utf8' });
  const found = which.stdout.trim();
  return which.status === 0 && found ? found : undefined;
}

function run(helm: string, args: string[], cwd: string): string {
  const r = spawnSync(helm, args, { cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`helm ${args.join(' ')} failed (${r.status}):\n${r.stderr}${r.stdout}`);
  return r.stdout;
}

describe('helm lint and helm template', () => {
  const helm = findHelm();

  it('lint --strict and template every chart with each ci values file', () => {
    if (!helm) {
      console.log('helm not found: lint/template skipped (schema, YAML, template-helper and dashboard checks in test/charts still ran)');
      return;
    }
    // Work on a copy: `helm dependency build` writes charts/*.tgz next to each Chart.yaml.
    const work = fs.mkdtempSync(path.join(os.tmpdir(), 'starling-charts-'));
    try {
      fs.cpSync(CHARTS_DIR, work, { recursive: true });
      // The umbrella last: `helm dependency build` packages the charts it depends on.
      for (const chart of [...INSTALLABLE_CHARTS, UMBRELLA_CHART]) {
        const dir = path.join(work, chart);
        run(helm, ['dependency', 'build', '--skip-refresh'], dir);
        for (const valuesFile of ciValueFiles(chart)) {
          const f = path.join(dir, 'ci', path.basename(valuesFile));
          run(helm, ['lint', '--strict', '.', '-f', f], dir);
          const manifest = run(helm, ['template', 'demo', '.', '--namespace', 'starling', '-f', f], dir);
          const docs = YAML.parseAllDocuments(manifest).filter((d) => d.contents !== null);
          expect({ file: relative(valuesFile), errors: docs.flatMap((d) => d.errors.map((e) => e.message)) }).toEqual({ file: relative(valuesFile), errors: [] });
          for (const d of docs) {
            const obj = d.toJS() as { apiVersion?: string; kind?: string; metadata?: { name?: string } };
            expect(obj.apiVersion && obj.kind && obj.metadata?.name).toBeTruthy();
          }
        }
      }
    } finally {
      fs.rmSync(work, { recursive: true, force: true });
    }
  });
});
