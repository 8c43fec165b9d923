// Published network maps in the database: the leader appends, every replica reads the newest.
import type { Queryable } from '@starling/platform';
import { registry } from '@starling/proto';

export interface PublishedMap {
  version: bigint;
  hash: string;
  map: registry.NetworkMap;
}

/** Maps older than this many versions are deleted; watchers only ever need the newest. */
const KEPT_VERSIONS = 20n;

export async function latestMapHeader(db: Queryable): Promise<{ version: bigint; hash: string } | undefined> {
  const res = await db.query<{ version: string; hash: string }>(`SELECT version, hash FROM network_maps ORDER BY version DESC LIMIT 1`);
  const row = res.rows[0];
  return row ? { version: BigInt(row.version), hash: row.hash } : undefined;
}

export async function loadMap(db: Queryable, version: bigint): Promise<PublishedMap | undefined> {
  const res = await db.query<{ hash: string; map: Buffer }>(`SELECT hash, map FROM network_maps WHERE version = $1`, [version.toString()]);
  const row = res.rows[0];
  return row ? { version, hash: row.hash, map: registry.NetworkMap.decode(new Uint8Array(row.map)) } : undefined;
}

export async function insertMap(db: Queryable, published: PublishedMap): Promise<void> {
  await db.query(`INSERT INTO network_maps (version, created_ms, hash, map) VALUES ($1, $2, $3, $4)`, [
    published.version.toString(),
    published.map.createdMs,
    published.hash,
    Buffer.from(registry.NetworkMap.encode(published.map).finish()),
  ]);
  await db.query(`DELETE FROM network_maps WHERE version <= $1`, [(published.version - KEPT_VERSIONS).toString()]);
}
