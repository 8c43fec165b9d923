// A pristine PGlite data folder, made once by the build and copied into an empty data folder at a
// service's first start, instead of PGlite's own first start. That one runs initdb in a second
// WASM PostgreSQL inside the process, copies that instance's whole heap, and leaves the instance
// reachable afterwards: a first start peaked near 850 MiB and stayed near 450 MiB, against about
// 200 MiB for a start on an existing folder (test/src/bench/memory.bench.ts). Copying files costs
// none of that.
import { chmodSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, type Dirent } from 'fs';
import { dirname, join, resolve } from 'path';

/** The file PGlite (as PostgreSQL) takes as the mark of a finished data folder. */
const VERSION_FILE = 'PG_VERSION';
/** Left by a running server; never part of a template. */
const LOCK_FILE = 'postmaster.pid';

/** The installed PGlite's version: a template is used only by the PGlite that made it. */
export function pgliteVersion(): string {
  const entry = require.resolve('@electric-sql/pglite'); // <package>/dist/index.cjs
  const manifest = JSON.parse(readFileSync(join(dirname(entry), '..', 'package.json'), 'utf8')) as { version: string };
  return manifest.version;
}

/** Where the build puts the template: in this library's dist folder (src/ and dist/ both sit in the package). */
export function pgliteTemplateDir(): string {
  return resolve(__dirname, '..', 'dist', 'pglite-template', pgliteVersion());
}

/**
 * Fills a data folder that holds no database from the template. Returns false (and touches
 * nothing) when the folder already holds one or when there is no template for this PGlite. The
 * version file goes last, so a copy cut short is made again at the next start.
 */
export function seedFromTemplate(dataDir: string, templateDir = pgliteTemplateDir()): boolean {
  if (existsSync(join(dataDir, VERSION_FILE)) || !existsSync(join(templateDir, VERSION_FILE))) return false;
  mkdirSync(dataDir, { recursive: true });
  // As initdb does to a folder that exists: PostgreSQL refuses one others may read.
  chmodSync(dataDir, statSync(templateDir).mode & 0o777);
  for (const entry of readdirSync(templateDir)) {
    if (entry === VERSION_FILE || entry === LOCK_FILE) continue;
    cpSync(join(templateDir, entry), join(dataDir, entry), { recursive: true, force: true });
  }
  cpSync(join(templateDir, VERSION_FILE), join(dataDir, VERSION_FILE));
  return true;
}

/**
 * Makes the template unless it exists: `create` makes a database in the folder given (PGlite's own
 * initdb) and closes it. Made under another name and renamed, so a build cut short leaves none.
 */
export async function buildPgliteTemplate(create: (dataDir: string) => Promise<void>, templateDir = pgliteTemplateDir()): Promise<boolean> {
  if (existsSync(join(templateDir, VERSION_FILE))) return false;
  const building = `${templateDir}.building-${process.pid}`;
  rmSync(building, { recursive: true, force: true });
  mkdirSync(dirname(templateDir), { recursive: true });
  try {
    await create(building);
    rmSync(join(building, LOCK_FILE), { force: true });
    readableByAll(building);
    rmSync(templateDir, { recursive: true, force: true });
    renameSync(building, templateDir);
  } finally {
    rmSync(building, { recursive: true, force: true });
  }
  return true;
}

/**
 * The template is built by whoever builds (root in an image) and read by the service's own user:
 * PGlite leaves a few files readable by their owner only.
 */
function readableByAll(dir: string): void {
  chmodSync(dir, 0o755);
  for (const entry of readdirSync(dir, { withFileTypes: true }) as Dirent[]) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) readableByAll(path);
    else chmodSync(path, 0o644);
  }
}
