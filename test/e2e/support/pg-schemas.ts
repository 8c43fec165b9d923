// On PostgreSQL the devnet gives every process its own `<prefix>_<name>` schema; a test removes
// them all when it is done, so that runs leave nothing behind in the shared database.
import { openDatabase } from '@starling/platform';

export async function dropSchemas(prefix: string, url = process.env.DATABASE_URL): Promise<void> {
  if (!url) return;
  const db = await openDatabase({ url });
  try {
    const { rows } = await db.query<{ name: string }>(`SELECT nspname AS name FROM pg_namespace WHERE nspname LIKE $1`, [`${prefix}\\_%`]);
    for (const { name } of rows) await db.query(`DROP SCHEMA IF EXISTS "${name}" CASCADE`);
  } finally {
    await db.close();
  }
}
