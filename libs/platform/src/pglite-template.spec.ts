import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { openDatabase, PGLITE_SETTINGS } from './database';
import { buildPgliteTemplate, pgliteTemplateDir, pgliteVersion, seedFromTemplate } from './pglite-template';

// Making a real template runs PGlite's initdb: seconds on a busy machine.
jest.setTimeout(120_000);

let work: string;
beforeEach(() => {
  work = mkdtempSync(join(tmpdir(), 'starling-pglite-template-'));
});
afterEach(() => rmSync(work, { recursive: true, force: true }));

/** A folder shaped like a data folder: the version file, a nested file, a server's lock file. */
function fakeDataDir(dir: string, version = '18'): string {
  mkdirSync(join(dir, 'base', '1'), { recursive: true });
  writeFileSync(join(dir, 'PG_VERSION'), `${version}\n`);
  writeFileSync(join(dir, 'base', '1', '1259'), 'catalog');
  chmodSync(join(dir, 'base', '1', '1259'), 0o600);
  writeFileSync(join(dir, 'postmaster.pid'), '42');
  return dir;
}

describe('seedFromTemplate', () => {
  it('copies the template into a folder that does not exist yet, without the lock file', () => {
    const template = fakeDataDir(join(work, 'template'));
    const dataDir = join(work, 'a', 'db');
    expect(seedFromTemplate(dataDir, template)).toBe(true);
    expect(readFileSync(join(dataDir, 'PG_VERSION'), 'utf8')).toBe('18\n');
    expect(readFileSync(join(dataDir, 'base', '1', '1259'), 'utf8')).toBe('catalog');
    expect(existsSync(join(dataDir, 'postmaster.pid'))).toBe(false);
  });

  it('finishes a copy cut short (files but no version file) and keeps what else is in the folder', () => {
    const template = fakeDataDir(join(work, 'template'));
    const dataDir = join(work, 'db');
    mkdirSync(join(dataDir, 'base', '1'), { recursive: true });
    writeFileSync(join(dataDir, 'base', '1', '1259'), 'half');
    mkdirSync(join(dataDir, 'lost+found'));
    expect(seedFromTemplate(dataDir, template)).toBe(true);
    expect(readFileSync(join(dataDir, 'base', '1', '1259'), 'utf8')).toBe('catalog');
    expect(readdirSync(dataDir).sort()).toEqual(['PG_VERSION', 'base', 'lost+found']);
  });

  it('leaves a folder that holds a database alone', () => {
    const template = fakeDataDir(join(work, 'template'));
    const dataDir = fakeDataDir(join(work, 'db'), '17');
    writeFileSync(join(dataDir, 'base', '1', '1259'), 'mine');
    expect(seedFromTemplate(dataDir, template)).toBe(false);
    expect(readFileSync(join(dataDir, 'PG_VERSION'), 'utf8')).toBe('17\n');
    expect(readFileSync(join(dataDir, 'base', '1', '1259'), 'utf8')).toBe('mine');
  });

  it('does nothing without a template', () => {
    const dataDir = join(work, 'db');
    expect(seedFromTemplate(dataDir, join(work, 'none'))).toBe(false);
    expect(existsSync(dataDir)).toBe(false);
  });
});

describe('buildPgliteTemplate', () => {
  it('makes the template once, without the lock file', async () => {
    const template = join(work, 'templates', '1.0');
    const create = jest.fn(async (dir: string) => void fakeDataDir(dir));
    expect(await buildPgliteTemplate(create, template)).toBe(true);
    expect(readdirSync(template).sort()).toEqual(['PG_VERSION', 'base']);
    // Read by the service's user, whoever built it.
    expect([template, join(template, 'base', '1'), join(template, 'base', '1', '1259')].map((p) => statSync(p).mode & 0o777)).toEqual([0o755, 0o755, 0o644]);
    expect(await buildPgliteTemplate(create, template)).toBe(false);
    expect(create).toHaveBeenCalledTimes(1);
  });

  it('leaves nothing behind when making it fails', async () => {
    const template = join(work, 'templates', '1.0');
    const failing = async (dir: string) => {
      fakeDataDir(dir);
      throw new Error('initdb failed');
    };
    await expect(buildPgliteTemplate(failing, template)).rejects.toThrow('initdb failed');
    expect(readdirSync(join(work, 'templates'))).toEqual([]);
  });

  it('is named by the installed PGlite version, beside the compiled library', () => {
    expect(pgliteVersion()).toMatch(/^\d+\.\d+\.\d+/);
    expect(pgliteTemplateDir()).toMatch(new RegExp(`libs/platform/dist/pglite-template/${pgliteVersion().replace(/\./g, '\\.')}$`));
  });
});

describe('a database started from a real template', () => {
  it('works, keeps its data, and runs with the embedded settings', async () => {
    const template = join(work, 'template');
    expect(await buildPgliteTemplate(async (dir) => (await openDatabase({ dataDir: dir })).close(), template)).toBe(true);
    const dataDir = join(work, 'service', 'db');
    expect(seedFromTemplate(dataDir, template)).toBe(true);

    const first = await openDatabase({ dataDir });
    await first.exec('CREATE TABLE note (body text); INSERT INTO note VALUES ($$kept$$);');
    const settings = await first.query<{ name: string; setting: string; unit: string | null }>(
      `SELECT name, setting, unit FROM pg_settings WHERE name = ANY($1) ORDER BY name`,
      [PGLITE_SETTINGS.map((s) => s.split('=')[0])],
    );
    await first.close();
    // 16MB in 8 kB pages (shared_buffers) and in kB (maintenance_work_mem).
    expect(settings.rows).toEqual([
      { name: 'maintenance_work_mem', setting: '16384', unit: 'kB' },
      { name: 'shared_buffers', setting: '2048', unit: '8kB' },
    ]);

    const again = await openDatabase({ dataDir });
    try {
      expect((await again.query('SELECT body FROM note')).rows).toEqual([{ body: 'kept' }]);
    } finally {
      await again.close();
    }
  });
});
