// The architecture's import rules bite: deliberately bad imports, written into temporary files
// inside the projects, are reported by ESLint with the repository's own config (and good ones are
// not); and a lib's `lint` script fails on one.
import { spawnSync } from 'child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'fs';
import * as path from 'path';

const REPO_ROOT = path.resolve(__dirname, '../..');
const ESLINT = path.join(REPO_ROOT, 'node_modules/eslint/bin/eslint.js');
const PROBE = `lint-probe-${process.pid}`;

interface Probe {
  file: string; // relative to the repository root
  source: string; // an import of `start`
  rule?: string; // the rule that must report it; none: the file must lint clean
}

interface TemporaryFile {
  file: string; // relative to the repository root
  text: string;
}

const probeFile = (probe: Probe): TemporaryFile => ({ file: probe.file, text: `${probe.source}\nexport const probe = start;\n` });

// One row per boundary: where the import is written, what it imports, and which rule stops it.
const BAD: Probe[] = [
  { file: `libs/crypto/src/${PROBE}.ts`, source: "import { createLogger as start } from '@starling/platform';", rule: '@nx/enforce-module-boundaries' },
  { file: `libs/platform/src/${PROBE}.ts`, source: "import { start } from '@starling/open-groups';", rule: '@nx/enforce-module-boundaries' },
  { file: `libs/client/src/${PROBE}.ts`, source: "import { start } from '@starling/file-server';", rule: '@nx/enforce-module-boundaries' },
  { file: `libs/membership/src/${PROBE}.ts`, source: "import { start } from '../../../services/registry/src/main';", rule: '@nx/enforce-module-boundaries' },
  { file: `services/file-server/src/${PROBE}.ts`, source: "import { start } from '@starling/open-groups';", rule: '@nx/enforce-module-boundaries' },
  { file: `services/registry/src/${PROBE}/domain-http.ts`, source: "import { start } from '../http/http-app';", rule: 'no-restricted-imports' },
  { file: `services/registry/src/${PROBE}/domain-grpc.ts`, source: "import { start } from '../grpc';", rule: 'no-restricted-imports' },
  { file: `services/swarm-store/src/${PROBE}.ts`, source: "import { start } from './http/http-app';", rule: 'no-restricted-imports' },
  { file: `services/registry/src/http/${PROBE}.ts`, source: "import { start } from '../grpc/registry-grpc';", rule: 'no-restricted-imports' },
  { file: `services/registry/src/grpc/${PROBE}.ts`, source: "import { start } from '../http/http-app';", rule: 'no-restricted-imports' },
  { file: `services/open-groups/src/rooms/${PROBE}.routes.ts`, source: "import { start } from '../grpc/x';", rule: 'no-restricted-imports' },
];

// The same places with imports that the architecture allows: the rules must not over-reach.
const GOOD: Probe[] = [
  { file: `libs/membership/src/${PROBE}.ts`, source: "import { start } from '@starling/platform';" },
  { file: `libs/client/src/${PROBE}.ts`, source: "import { start } from '@starling/crypto';" },
  { file: `services/registry/src/${PROBE}/domain.ts`, source: "import { start } from '../nodes/node-store';" },
  { file: `services/registry/src/http/${PROBE}.ts`, source: "import { start } from '../nodes/node-store';" },
  { file: `services/registry/src/${PROBE}.module.ts`, source: "import { start } from './http/http-app';" },
  { file: `services/open-groups/src/rooms/${PROBE}.routes.ts`, source: "import { start } from '../http/errors';" },
];

interface LintResult {
  filePath: string;
  messages: { ruleId: string | null; message: string }[];
}

/** Runs ESLint's command line from the repository root and returns its JSON report. */
function eslint(files: string[], extraArgs: string[] = []): LintResult[] {
  const run = spawnSync(process.execPath, [ESLINT, '--format', 'json', ...extraArgs, ...files], { cwd: REPO_ROOT, encoding: 'utf8' });
  if (run.status !== 0 && run.status !== 1) throw new Error(`eslint exited ${run.status}: ${run.stderr}`);
  return JSON.parse(run.stdout) as LintResult[];
}

const rulesReported = (results: LintResult[], file: string): string[] =>
  results.find((r) => r.filePath === path.join(REPO_ROOT, file))?.messages.map((m) => m.ruleId ?? m.message) ?? [];

/** Writes the files (creating missing folders), runs `body`, and removes everything it wrote. */
function withFiles<T>(files: TemporaryFile[], body: () => T): T {
  const created: string[] = [];
  try {
    for (const { file, text } of files) {
      const full = path.join(REPO_ROOT, file);
      let dir = path.dirname(full);
      const missing: string[] = [];
      while (!existsSync(dir)) {
        missing.unshift(dir);
        dir = path.dirname(dir);
      }
      for (const d of missing) mkdirSync(d);
      created.push(...missing.reverse(), full);
      writeFileSync(full, text);
    }
    return body();
  } finally {
    for (const p of created.reverse()) rmSync(p, { recursive: true, force: true });
  }
}

describe('the import rules', () => {
  // One ESLint run for each table (its start-up is most of the cost).
  const lintAll = (probes: Probe[]) => withFiles(probes.map(probeFile), () => eslint(probes.map((p) => p.file)));
  let bad: LintResult[];
  let good: LintResult[];
  beforeAll(() => {
    bad = lintAll(BAD);
    good = lintAll(GOOD);
  });

  it.each(BAD)('$file: $source is reported by $rule', (probe) => {
    expect(rulesReported(bad, probe.file)).toContain(probe.rule);
  });

  it.each(GOOD)('$file: $source is allowed', (probe) => {
    expect(rulesReported(good, probe.file)).toEqual([]);
  });

  it("fails a lib's lint script (type-check, then ESLint) on a forbidden import", () => {
    const probe = BAD[0];
    const run = withFiles([probeFile(probe)], () =>
      spawnSync('npm', ['run', 'lint', '--silent'], { cwd: path.join(REPO_ROOT, 'libs/crypto'), encoding: 'utf8' }),
    );
    expect(run.status).not.toBe(0);
    expect(run.stdout + run.stderr).toMatch(/type:base.*can not depend on/);
    expect(existsSync(path.join(REPO_ROOT, probe.file))).toBe(false);
  });
});
