// The `starling` command as a process, the way people and scripts run it: the phrase through a
// pipe or a variable (never an argument), --version, and failures with their exit codes, as JSON
// under --json. The commands themselves are tested in process in libs/client.
import { spawn, spawnSync } from 'child_process';
import { mkdtempSync, readFileSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';

const CLIENT = join(__dirname, '..', '..', 'libs', 'client');
const BIN = join(CLIENT, 'bin', 'starling.js');
// client.md 1.3
const PHRASE = 'amaze buffet cake entrance symptoms tiger lamb maze nestle python dusted faxed faxed';
const SESSION_ID = '05ca03b8e369aeeb69fd260c2957d37b232db17a60db7a39bca9f0c0a6be135c1a';

let root: string;
beforeEach(() => (root = mkdtempSync(join(tmpdir(), 'starling-bin-'))));
afterEach(() => rmSync(root, { recursive: true, force: true }));

function starling(args: string[], options: { stdin?: string; env?: Record<string, string> } = {}) {
  // No stdin given: the command sees an empty pipe, as under cron or CI.
  const r = spawnSync(process.execPath, [BIN, ...args], {
    input: options.stdin ?? '',
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '', HOME: root, ...options.env },
    timeout: 60_000,
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

it('prints its version', () => {
  const { version } = JSON.parse(readFileSync(join(CLIENT, 'package.json'), 'utf8'));
  expect(starling(['--version'])).toEqual({ code: 0, out: `${version}\n`, err: '' });
});

it('restores from a phrase piped in, and shows keys of a phrase given in STARLING_RECOVERY_PHRASE', () => {
  const home = join(root, 'laptop');
  expect(starling(['--home', home, 'restore', '--json'], { stdin: `${PHRASE}\n` })).toEqual({ code: 0, out: `{"session_id":"${SESSION_ID}"}\n`, err: '' });
  expect(JSON.parse(starling(['--home', home, 'whoami', '--json']).out).session_id).toBe(SESSION_ID);
  const keys = starling(['keys', '--json'], { env: { STARLING_RECOVERY_PHRASE: PHRASE } });
  expect(keys.code).toBe(0);
  expect(JSON.parse(keys.out)).toMatchObject({ session_id: SESSION_ID, recovery_phrase: PHRASE });
});

it('asks for the phrase at a terminal without echoing it', async () => {
  const home = join(root, 'typed');
  // util-linux `script` gives the command a real terminal; the phrase is typed once the question shows.
  const child = spawn('script', ['-qec', `${process.execPath} ${BIN} --home ${home} restore --json`, '/dev/null'], {
    env: { PATH: process.env.PATH ?? '', HOME: root, TERM: 'dumb' },
  });
  let screen = '';
  child.stdout.on('data', (chunk: Buffer) => {
    const before = screen;
    screen += chunk.toString('utf8');
    if (!before.includes('Recovery phrase') && screen.includes('Recovery phrase')) child.stdin.write(`${PHRASE}\r`);
  });
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  expect(code).toBe(0);
  expect(screen).toContain('Recovery phrase (or the text of the QR code): ');
  expect(screen).toContain(`{"session_id":"${SESSION_ID}"}`);
  expect(screen).not.toContain('buffet');
});

it('fails with one line and an exit code per kind of failure, as JSON under --json', () => {
  const home = join(root, 'empty');
  expect(starling(['--home', home, 'restore'])).toEqual({
    code: 2,
    out: '',
    err: 'starling: no recovery phrase given: type it when asked, pipe it to standard input, or set STARLING_RECOVERY_PHRASE\n',
  });
  const missing = starling(['--home', home, 'whoami', '--json']);
  expect([missing.code, missing.out]).toEqual([4, '']);
  expect(JSON.parse(missing.err)).toEqual({ error: { kind: 'not_found', message: `no account in ${home}: run "starling init" or "starling restore" first`, exit_code: 4 } });
  const unknown = starling(['--json', '--seed', 'http://127.0.0.1:1', 'whoami']);
  expect([unknown.code, JSON.parse(unknown.err).error.kind]).toEqual([2, 'input']);
});
