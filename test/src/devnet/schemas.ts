import { openDatabase } from '@starling/platform';

/** On PostgreSQL every devnet process had its own `<prefix>_<name>` schema; removes them all. */
export async function dropDevnetSchemas(databaseUrl: string | undefined, prefix: string): Promise<void> {
  if (!databaseUrl) return;
  const db = await openDatabase({ url: databaseUrl });
  try {
    const { rows } = await db.query<{ name: string }>(`SELECT nspname AS name FROM pg_namespace WHERE nspname LIKE $1`, [`${prefix}\\_%`]);
    for (const { name } of rows) await db.query(`DROP SCHEMA IF EXISTS "${name}" CASCADE`);
  } finally {
    await db.close();
  }
}
