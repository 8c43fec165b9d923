// No forceExit in the jest preset: a test that leaves a handle open fails the run and names it
// (tools/jest-exit-guard.js), instead of holding CI until its time limit.
import { spawnSync } from 'child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import * as path from 'path';

const REPO_ROOT = path.resolve(__dirname, '../..');
const JEST = path.join(REPO_ROOT, 'node_modules/jest/bin/jest.js');

function runJest(spec: string): { status: number | null; output: string } {
  const dir = mkdtempSync(path.join(REPO_ROOT, 'test/repo/.exit-guard-'));
  try {
    writeFileSync(path.join(dir, 'jest.config.js'), `module.exports = require(${JSON.stringify(path.join(REPO_ROOT, 'jest.preset.js'))})(__dirname, { testMatch: ['<rootDir>/*.spec.js'], transform: {} });\n`);
    writeFileSync(path.join(dir, 'probe.spec.js'), spec);
    const run = spawnSync(process.execPath, [JEST, '--config', path.join(dir, 'jest.config.js'), '--runInBand'], { cwd: dir, encoding: 'utf8', timeout: 60_000 });
    return { status: run.status, output: run.stdout + run.stderr };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

it('fails a run whose test leaves a server open, naming the kind of handle', () => {
  const run = runJest("const net = require('net');\nit('opens a server and forgets it', (done) => { net.createServer().listen(0, '127.0.0.1', done); });\n");
  expect(run.status).toBe(1);
  expect(run.output).toMatch(/still running 10 s after the tests finished: a test left open .*TCPServerWrap/);
});

it('lets a run that closes what it opened end normally', () => {
  const run = runJest("const net = require('net');\nit('opens a server and closes it', (done) => { const s = net.createServer().listen(0, '127.0.0.1', () => s.close(done)); });\n");
  expect(run.status).toBe(0);
  expect(run.output).not.toMatch(/still running/);
});
