// A baseline of the memory benchmark, run as its own process: PGlite with the library's defaults
// (no Starling settings) opens an empty database in the folder given as the first argument, runs
// one query, prints `ready`, and idles until SIGTERM.
import { PGlite } from '@electric-sql/pglite';

async function main(): Promise<void> {
  const dataDir = process.argv[2];
  if (!dataDir) throw new Error('usage: pglite-idle <data folder>');
  const db = new PGlite({ dataDir });
  await db.waitReady;
  await db.query('SELECT 1');
  console.log('ready');
  const idle = setInterval(() => undefined, 1 << 30);
  process.once('SIGTERM', () => {
    clearInterval(idle);
    void db.close();
  });
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
