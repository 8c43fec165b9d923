#!/usr/bin/env node
// `starling-sogs` as npm links it (`npx starling-sogs` at the repository root, or on PATH): runs
// the built command line, dist/admin/cli.js. A fresh clone has no dist/ yet: this builds it once
// (TypeScript's own build of this service and the libraries it uses, about a minute), or says
// what to run when it cannot. Build messages go to standard error, so that --json output stays
// clean.
'use strict';
const { spawnSync } = require('node:child_process');
const { existsSync } = require('node:fs');
const { join } = require('node:path');

const serviceDir = join(__dirname, '..');
const cli = join(serviceDir, 'dist', 'admin', 'cli.js');

if (!existsSync(cli)) build();
require(cli).main(process.argv.slice(2));

function build() {
  const howTo = 'run `npm ci` and then `npm run build -w services/open-groups` at the repository root';
  let tsc;
  try {
    tsc = require.resolve('typescript/bin/tsc', { paths: [serviceDir] });
  } catch {
    fail(`starling-sogs is not built yet, and TypeScript is not installed to build it: ${howTo}`);
  }
  process.stderr.write('starling-sogs is not built yet: building services/open-groups (once)...\n');
  const result = spawnSync(process.execPath, [tsc, '-b', join(serviceDir, 'tsconfig.build.json')], { stdio: ['ignore', 2, 2] });
  if (result.status !== 0 || !existsSync(cli)) fail(`building starling-sogs failed (see above): ${howTo}`);
}

function fail(message) {
  process.stderr.write(`starling-sogs: ${message}\n`);
  process.exit(1);
}
