// The real entrypoint as a process: configured by environment variables, it prints one line with
// its URL and public key, serves files, and exits 0 on SIGTERM.
import { spawn, execFileSync, type ChildProcess } from 'child_process';
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { eventually } from '@starling/platform';

const projectDir = path.join(__dirname, '..');

describe('node dist/main.js', () => {
  let child: ChildProcess | undefined;
  let dataDir: string;

  beforeAll(() => {
    execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-b', 'tsconfig.build.json'], { cwd: projectDir, stdio: 'pipe' });
    dataDir = mkdtempSync(path.join(tmpdir(), 'starling-fs-main-'));
  }, 180_000);

  afterAll(() => {
    if (child && child.exitCode === null) child.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('starts, announces itself, serves, and stops cleanly on SIGTERM', async () => {
    let stdout = '';
    const env: NodeJS.ProcessEnv = { ...process.env, FILE_SERVER_PORT: '0', FILE_SERVER_OPS_PORT: '0', FILE_SERVER_DATA_DIR: dataDir, FILE_SERVER_BLOB_STORE: 'folder', LOG_LEVEL: 'info' };
    delete env.DATABASE_URL; // the embedded database, as `npm start` on a laptop
    child = spawn(process.execPath, ['dist/main.js'], { cwd: projectDir, env, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout!.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr!.on('data', (c: Buffer) => (stdout += c.toString()));

    const line = await eventually(() => {
      const m = /^file-server url=(http:\/\/127\.0\.0\.1:\d+) pubkey=([0-9a-f]{64}) x25519=[0-9a-f]{64}$/m.exec(stdout);
      if (!m) throw new Error(`no announcement yet: ${stdout}`);
      return { url: m[1]!, pubkey: m[2]! };
    }, 90_000);

    const up = await fetch(`${line.url}/file`, { method: 'POST', body: 'from the process test' });
    expect(up.status).toBe(200);
    const { id } = (await up.json()) as { id: string };
    expect(await (await fetch(`${line.url}/file/${id}`)).text()).toBe('from the process test');

    const exited = new Promise<number | null>((resolve) => child!.on('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(stdout).toContain('shutdown complete');
  }, 180_000);
});
