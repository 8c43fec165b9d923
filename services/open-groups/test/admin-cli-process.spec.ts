// `starling-sogs` as operators run it: the committed bin (bin/starling-sogs.js) as a process, next
// to the server as a process (`node dist/main.js`). With the embedded database the command line
// works through the running server's admin socket, and on the folder once the server is stopped;
// on a database a newer release must upgrade it changes nothing but says to run `upgrade`; with
// PostgreSQL (DATABASE_URL) it works on the database beside the running server. Exit codes,
// standard error and --json are checked on every path.
import { eventually, migrate, openDatabase, uniqueName } from '@starling/platform';
import { execFileSync, spawn, type ChildProcess } from 'child_process';
import { randomBytes } from 'crypto';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { MIGRATIONS_DIR } from '../src/server';

const projectDir = join(__dirname, '..');
const BIN = join(projectDir, 'bin', 'starling-sogs.js');
const SERVER_KEY = '7'.repeat(64);

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The process environment without the test run's own database and Redis settings, plus `env`. */
function processEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: 'warn', ...env };
  if (!env.DATABASE_URL) delete out.DATABASE_URL;
  delete out.REDIS_URL;
  return out;
}

function sogs(env: Record<string, string>, ...args: string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: processEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** A successful run's --json output. */
async function sogsJson(env: Record<string, string>, ...args: string[]): Promise<any> {
  const run = await sogs(env, ...args, '--json');
  if (run.code !== 0) throw new Error(`starling-sogs ${args.join(' ')} exited ${run.code}: ${run.stderr}`);
  expect(run.stderr).toBe('');
  return JSON.parse(run.stdout);
}

interface ServerProcess {
  url: string;
  stop(): Promise<void>;
}

async function startServer(env: Record<string, string>): Promise<ServerProcess> {
  const child: ChildProcess = spawn(process.execPath, ['dist/main.js'], {
    cwd: projectDir,
    env: processEnv({ OPEN_GROUPS_PORT: '0', OPEN_GROUPS_OPS_PORT: '0', ...env }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    await exited;
  };
  try {
    const url = await eventually(() => {
      if (child.exitCode !== null) throw new Error(`server exited: ${output}`);
      const m = /^room lobby: (http:\/\/127\.0\.0\.1:\d+)\/lobby\?public_key=/m.exec(output);
      if (!m) throw new Error(`server not started yet: ${output}`);
      return m[1]!;
    }, 90_000);
    return { url, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

/** A blinded id as a client would have one (stored as given: no key behind it is needed here). */
const newId = () => `15${randomBytes(32).toString('hex')}`;
const roomObject = async (url: string, token: string) => (await fetch(`${url}/room/${token}`)).json() as Promise<any>;

beforeAll(() => {
  execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-b', 'tsconfig.build.json'], { cwd: projectDir, stdio: 'pipe' });
}, 300_000);

describe('starling-sogs with the embedded database', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'sogs-cli-'));
  const env = { OPEN_GROUPS_DATA_DIR: dataDir };
  const initialAdmin = newId();
  let server: ServerProcess | undefined;

  beforeAll(async () => {
    server = await startServer({ ...env, OPEN_GROUPS_INITIAL_ADMINS: initialAdmin });
  }, 120_000);
  afterAll(async () => {
    await server?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('prints help and its version, exit 0', async () => {
    const help = await sogs({}, '--help');
    expect(help).toMatchObject({ code: 0, stderr: '' });
    expect(help.stdout).toContain('Usage: starling-sogs [options] [command]');
    const version = await sogs({}, '--version');
    expect(version).toEqual({ code: 0, stdout: `${JSON.parse(readFileSync(join(projectDir, 'package.json'), 'utf8')).version}\n`, stderr: '' });
  });

  it('works through the running server: rooms, moderators visible and hidden, bans, room details', async () => {
    const created = await sogsJson(env, 'rooms', 'add', 'dev', '--name', 'Developers');
    expect(created).toMatchObject({ token: 'dev', name: 'Developers', joinUrl: expect.stringMatching(new RegExp(`^${server!.url}/dev\\?public_key=[0-9a-f]{64}$`)) });
    expect(await roomObject(server!.url, 'dev')).toMatchObject({ token: 'dev', name: 'Developers' });

    const mod = newId();
    const hidden = newId();
    expect(await sogs(env, 'moderators', 'add', mod, '--rooms', 'dev')).toMatchObject({ code: 0, stderr: '' });
    expect(await sogs(env, 'moderators', 'add', hidden, '--global')).toMatchObject({ code: 0, stderr: '' });
    const room = await roomObject(server!.url, 'dev');
    expect(room.moderators).toEqual([mod]); // hidden ones are not shown to the public
    const listed = await sogsJson(env, 'moderators', 'list');
    expect(listed).toEqual(
      expect.arrayContaining([
        { sessionId: initialAdmin, role: 'admin', room: null, visible: false },
        { sessionId: hidden, role: 'moderator', room: null, visible: false },
        { sessionId: mod, role: 'moderator', room: 'dev', visible: true },
      ]),
    );
    expect(await sogsJson(env, 'moderators', 'list', '--rooms', 'dev')).toEqual([{ sessionId: mod, role: 'moderator', room: 'dev', visible: true }]);

    const troll = newId();
    expect((await sogs(env, 'bans', 'add', troll, '--rooms', 'dev', '--timeout', '3600')).code).toBe(0);
    const bans = await sogsJson(env, 'bans', 'list');
    expect(bans).toEqual([{ sessionId: troll, room: 'dev', until: expect.any(Number) }]);
    expect(bans[0].until).toBeGreaterThan(Date.now() / 1000 + 3500);

    const image = join(dataDir, 'logo.png');
    writeFileSync(image, Buffer.from([137, 80, 78, 71]));
    expect((await sogs(env, 'rooms', 'set-image', 'dev', image)).code).toBe(0);
    const details = await sogsJson(env, 'rooms', 'show', 'dev');
    expect(details).toMatchObject({
      token: 'dev',
      moderators: [mod],
      hiddenModerators: [hidden],
      hiddenAdmins: [initialAdmin],
      bans: 1,
      image: { id: (await roomObject(server!.url, 'dev')).image_id, size: 4, filename: 'logo.png' },
    });
    const text = await sogs(env, 'rooms', 'show', 'dev');
    expect(text.stdout).toContain(`moderator ${hidden} (hidden)`);
    expect(await sogs(env, 'upgrade', '--check')).toEqual({ code: 0, stdout: 'the database schema is up to date\n', stderr: '' });
  });

  it('says what is wrong on standard error, as JSON with --json, with its exit code', async () => {
    const badToken = await sogs(env, 'rooms', 'add', 'no spaces!');
    expect(badToken).toMatchObject({ code: 1, stdout: '' });
    expect(badToken.stderr).toBe('starling-sogs: invalid room token "no spaces!": use 1 to 64 characters from A-Z, a-z, 0-9, _ and -\n');
    const asJson = await sogs(env, 'rooms', 'add', 'x'.repeat(65), '--json');
    expect(asJson).toMatchObject({ code: 1, stdout: '' });
    expect(JSON.parse(asJson.stderr)).toEqual({ error: { kind: 'bad_input', message: expect.stringContaining('use 1 to 64 characters from A-Z, a-z, 0-9, _ and -') } });
    expect(await sogs(env, 'rooms', 'show', 'nowhere')).toMatchObject({ code: 1, stdout: '', stderr: 'starling-sogs: no such room: nowhere\n' });
    expect(await sogs(env, 'moderators', 'add', 'not-an-id', '--global')).toMatchObject({ code: 1, stdout: '' });
    const usage = await sogs(env, 'bans', 'add', newId(), '--json');
    expect(usage).toMatchObject({ code: 2, stdout: '' });
    expect(JSON.parse(usage.stderr).error.kind).toBe('usage');
    const unknown = await sogs(env, 'rooms', 'frobnicate', '--json');
    expect(unknown).toMatchObject({ code: 2, stdout: '' });
    expect(JSON.parse(unknown.stderr)).toEqual({ error: { kind: 'usage', message: expect.stringContaining("unknown command 'frobnicate'") } });
    expect(await sogs(env, 'rooms', 'list', '--bogus')).toMatchObject({ code: 2, stdout: '' });
    expect(await sogs({}, 'rooms', 'list')).toMatchObject({ code: 2, stderr: expect.stringContaining('set OPEN_GROUPS_DATA_DIR') });
  });

  it('works on the folder once the server is stopped; the initial admins are not appointed again', async () => {
    await server!.stop();
    expect(existsSync(join(dataDir, 'admin', 'sogs.sock'))).toBe(false);
    expect((await sogsJson(env, 'rooms', 'list')).map((r: { token: string }) => r.token)).toEqual(['dev', 'lobby']);
    expect((await sogs(env, 'moderators', 'remove', initialAdmin, '--global')).code).toBe(0);
    server = await startServer({ ...env, OPEN_GROUPS_INITIAL_ADMINS: initialAdmin });
    const global = await sogsJson(env, 'moderators', 'list', '--global');
    expect(global.map((m: { sessionId: string }) => m.sessionId)).not.toContain(initialAdmin);
  }, 120_000);
});

describe('starling-sogs on a database a newer release must upgrade', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'sogs-cli-old-'));
  const env = { OPEN_GROUPS_DATA_DIR: dataDir, OPEN_GROUPS_SERVER_KEY: SERVER_KEY };
  const pendingCount = async () => {
    const db = await openDatabase({ dataDir: join(dataDir, 'db') });
    try {
      return Number((await db.query<{ n: string }>('SELECT count(*) AS n FROM schema_migrations')).rows[0].n);
    } finally {
      await db.close();
    }
  };

  beforeAll(async () => {
    // The schema of the first release: only its first migration.
    const first = mkdtempSync(join(tmpdir(), 'sogs-first-migration-'));
    copyFileSync(join(MIGRATIONS_DIR, '0001_initial.sql'), join(first, '0001_initial.sql'));
    const db = await openDatabase({ dataDir: join(dataDir, 'db') });
    await migrate(db, first);
    await db.close();
    rmSync(first, { recursive: true, force: true });
  }, 60_000);
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('stops every other command with a message naming upgrade, and changes nothing', async () => {
    const list = await sogs(env, 'rooms', 'list');
    expect(list).toMatchObject({ code: 3, stdout: '' });
    expect(list.stderr).toContain('run `starling-sogs upgrade`');
    expect(list.stderr).toContain('0002_room_details_updates');
    const json = await sogs(env, 'moderators', 'add', newId(), '--global', '--json');
    expect(json.code).toBe(3);
    expect(JSON.parse(json.stderr).error).toMatchObject({ kind: 'upgrade_needed' });
    const check = await sogs(env, 'upgrade', '--check');
    expect(check).toMatchObject({ code: 3, stdout: '' });
    expect(await pendingCount()).toBe(1); // still only the first release's migration
  });

  it('upgrades with `upgrade`, after which everything works', async () => {
    const upgraded = await sogs(env, 'upgrade');
    expect(upgraded).toMatchObject({ code: 0, stderr: '' });
    expect(upgraded.stdout).toMatch(/^applied 0002_room_details_updates, 0003_nonces, 0004_server_state/);
    expect(await sogs(env, 'upgrade', '--check')).toMatchObject({ code: 0 });
    expect(await sogsJson(env, 'upgrade')).toEqual({ applied: [] });
    expect(await sogsJson(env, 'rooms', 'list')).toEqual([]);
  });
});

const databaseUrl = process.env.DATABASE_URL;
(databaseUrl ? describe : describe.skip)('starling-sogs with PostgreSQL, while the server runs', () => {
  const schema = uniqueName('sogs_cli');
  const env = { DATABASE_URL: databaseUrl!, OPEN_GROUPS_DB_SCHEMA: schema, OPEN_GROUPS_SERVER_KEY: SERVER_KEY };
  let server: ServerProcess | undefined;

  beforeAll(async () => {
    server = await startServer(env);
  }, 120_000);
  afterAll(async () => {
    await server?.stop();
    const db = await openDatabase({ url: databaseUrl });
    await db.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await db.close();
  });

  it('changes what the running server serves, lists and refuses as with the embedded database', async () => {
    expect((await sogsJson(env, 'rooms', 'add', 'pg-room')).token).toBe('pg-room');
    const admin = newId();
    expect((await sogs(env, 'moderators', 'add', admin, '--rooms', 'pg-room', '--admin')).code).toBe(0);
    expect((await roomObject(server!.url, 'pg-room')).admins).toEqual([admin]);
    const troll = newId();
    expect((await sogs(env, 'bans', 'add', troll, '--global')).code).toBe(0);
    expect(await sogsJson(env, 'bans', 'list', '--global')).toEqual([{ sessionId: troll, room: null, until: null }]);
    expect(await sogsJson(env, 'moderators', 'list', '--rooms', 'pg-room')).toEqual([{ sessionId: admin, role: 'admin', room: 'pg-room', visible: true }]);
    expect(await sogs(env, 'upgrade', '--check')).toMatchObject({ code: 0 });
    const bad = await sogs(env, 'rooms', 'add', 'a/b', '--json');
    expect(bad.code).toBe(1);
    expect(JSON.parse(bad.stderr).error.message).toContain('use 1 to 64 characters from A-Z, a-z, 0-9, _ and -');
  });
});
