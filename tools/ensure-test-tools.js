#!/usr/bin/env node
// `npm test` on a fresh machine: the programs some tests run (coturn, Prometheus, Go with sprig)
// are Debian packages, listed with what needs them in tools/test-tools.json (add a row there for
// a new one). Whatever is missing is installed with apt-get when we are root, and one line says
// what was installed; otherwise one line says what to install. Nothing is printed when all is there.
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const TOOLS = require('./test-tools.json');

function onPath(command) {
  return (process.env.PATH ?? '')
    .split(path.delimiter)
    .filter(Boolean)
    .some((dir) => {
      try {
        fs.accessSync(path.join(dir, command), fs.constants.X_OK);
        return true;
      } catch {
        return false;
      }
    });
}

/** What a row lacks: its missing commands and paths (empty when it is complete). */
function lacking(tool) {
  return [...(tool.commands ?? []).filter((c) => !onPath(c)), ...(tool.paths ?? []).filter((p) => !fs.existsSync(p))];
}

function run(command, args) {
  const r = spawnSync(command, args, { encoding: 'utf8', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  if (r.status !== 0) {
    process.stderr.write(`${command} ${args.join(' ')} failed:\n${r.stdout ?? ''}${r.stderr ?? r.error?.message ?? ''}\n`);
    process.exit(1);
  }
}

function main() {
  const missing = TOOLS.filter((tool) => lacking(tool).length > 0);
  if (missing.length === 0) return;
  const packages = [...new Set(missing.flatMap((tool) => tool.debian))];
  const what = missing.map((tool) => `${lacking(tool).map((p) => path.basename(p)).join(', ')} (${tool.debian.join(' ')})`).join('; ');
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!root || !onPath('apt-get')) {
    console.log(`Missing for the tests: ${what}. Install with: sudo apt-get install ${packages.join(' ')} (the tests that need them fail without).`);
    return;
  }
  const started = Date.now();
  run('apt-get', ['update', '-qq']);
  // Wait for another apt or dpkg run (an unattended upgrade) instead of failing on its lock.
  run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', '-o', 'DPkg::Lock::Timeout=300', ...packages]);
  const still = missing.filter((tool) => lacking(tool).length > 0);
  if (still.length > 0) {
    process.stderr.write(`Installed ${packages.join(' ')}, but still missing: ${still.flatMap(lacking).join(', ')}\n`);
    process.exit(1);
  }
  console.log(`Installed for the tests (apt-get, ${Math.round((Date.now() - started) / 1000)} s): ${packages.join(' ')}.`);
}

main();
