// Where a network keeps something it must not: every file under its data folder (logs, PGlite
// databases, keys, blobs) and, on PostgreSQL, a dump of every schema's rows.
import { execFileSync } from 'child_process';
import { readdirSync, readFileSync } from 'fs';
import { join } from 'path';

/** `<where>: <needle>` for each needle found, as text or as hex of its UTF-8 bytes. */
export function storedAnywhere(dataDir: string, texts: readonly string[]): string[] {
  const needles = texts.flatMap((s) => [s, Buffer.from(s).toString('hex')]);
  const hits: string[] = [];
  const search = (where: string, content: string) => {
    for (const n of needles) if (content.includes(n)) hits.push(`${where}: ${n}`);
  };
  // Regular files only: a data folder also holds sockets (the community server's admin socket).
  for (const entry of readdirSync(dataDir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) search(join(entry.parentPath, entry.name), readFileSync(join(entry.parentPath, entry.name)).toString('latin1'));
  }
  if (process.env.DATABASE_URL) {
    search('PostgreSQL', execFileSync('pg_dump', ['--data-only', process.env.DATABASE_URL], { maxBuffer: 1 << 30 }).toString('latin1'));
  }
  return hits;
}
