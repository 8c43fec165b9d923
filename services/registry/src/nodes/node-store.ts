// The nodes table: what every replica writes when a node announces itself or sends a heartbeat,
// and what the leader reads to form swarms and build the map.
import type { Queryable } from '@starling/platform';
import type { AnnouncedNode, CheckedHeartbeat } from './announcement-check';

export interface NodeRecord {
  role: number;
  pubkeyEd25519: string;
  pubkeyX25519: string;
  grpcAddress: string;
  publicIp: string;
  publicPort: number;
  version: string;
  lastSeenMs: number;
  firstSeenMs: number;
  failedTests: number;
  swarmId: bigint | undefined;
}

interface NodeRow {
  role: number;
  pubkey_ed25519: string;
  pubkey_x25519: string;
  grpc_address: string;
  public_ip: string;
  public_port: number;
  version: string;
  last_seen_ms: string;
  first_seen_ms: string;
  failed_tests: number;
  swarm_id: string | null;
}

export type AnnounceOutcome = 'new' | 'updated' | 'replayed';

/**
 * Inserts or refreshes a node. A timestamp not newer than the last one it signed is a replay and
 * changes nothing. A node that changes role leaves its swarm.
 */
export async function saveAnnouncement(db: Queryable, node: AnnouncedNode, nowMs: number): Promise<AnnounceOutcome> {
  const res = await db.query<{ inserted: boolean }>(
    `INSERT INTO nodes (pubkey_ed25519, role, pubkey_x25519, grpc_address, public_ip, public_port, version,
                        signed_ms, last_seen_ms, first_seen_ms)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)
     ON CONFLICT (pubkey_ed25519) DO UPDATE SET
       role = EXCLUDED.role, pubkey_x25519 = EXCLUDED.pubkey_x25519, grpc_address = EXCLUDED.grpc_address,
       public_ip = EXCLUDED.public_ip, public_port = EXCLUDED.public_port, version = EXCLUDED.version,
       signed_ms = EXCLUDED.signed_ms, last_seen_ms = EXCLUDED.last_seen_ms,
       swarm_id = CASE WHEN nodes.role = EXCLUDED.role THEN nodes.swarm_id END
     WHERE nodes.signed_ms < EXCLUDED.signed_ms
     RETURNING (xmax = 0) AS inserted`,
    [node.pubkeyEd25519, node.role, node.pubkeyX25519, node.grpcAddress, node.publicIp, node.publicPort, node.version, node.signedMs, nowMs],
  );
  const row = res.rows[0];
  if (!row) return 'replayed';
  return row.inserted ? 'new' : 'updated';
}

export type HeartbeatOutcome = 'recorded' | 'unknown' | 'replayed';

export async function saveHeartbeat(db: Queryable, beat: CheckedHeartbeat, nowMs: number): Promise<HeartbeatOutcome> {
  const res = await db.query<{ fresh: boolean }>(
    `UPDATE nodes SET
       signed_ms = GREATEST(signed_ms, $2), last_seen_ms = CASE WHEN signed_ms < $2 THEN $3 ELSE last_seen_ms END
     WHERE pubkey_ed25519 = $1
     RETURNING (last_seen_ms = $3) AS fresh`,
    [beat.pubkeyEd25519, beat.signedMs, nowMs],
  );
  const row = res.rows[0];
  if (!row) return 'unknown';
  return row.fresh ? 'recorded' : 'replayed';
}

export async function listNodes(db: Queryable): Promise<NodeRecord[]> {
  const res = await db.query<NodeRow>(
    `SELECT role, pubkey_ed25519, pubkey_x25519, grpc_address, public_ip, public_port, version,
            last_seen_ms, first_seen_ms, failed_tests, swarm_id::text AS swarm_id
       FROM nodes ORDER BY first_seen_ms, pubkey_ed25519`,
  );
  return res.rows.map((r) => ({
    role: Number(r.role),
    pubkeyEd25519: r.pubkey_ed25519,
    pubkeyX25519: r.pubkey_x25519,
    grpcAddress: r.grpc_address,
    publicIp: r.public_ip,
    publicPort: Number(r.public_port),
    version: r.version,
    lastSeenMs: Number(r.last_seen_ms),
    firstSeenMs: Number(r.first_seen_ms),
    failedTests: Number(r.failed_tests),
    swarmId: r.swarm_id === null ? undefined : BigInt(r.swarm_id),
  }));
}

export async function setSwarm(db: Queryable, pubkeyEd25519: string, swarmId: bigint | undefined): Promise<void> {
  await db.query(`UPDATE nodes SET swarm_id = $2 WHERE pubkey_ed25519 = $1`, [pubkeyEd25519, swarmId === undefined ? null : swarmId.toString()]);
}

/** Resets the failure count on a pass, adds one on a failure; returns the new count (undefined: node gone). */
export async function recordTestResult(db: Queryable, pubkeyEd25519: string, passed: boolean): Promise<number | undefined> {
  const res = await db.query<{ failed_tests: number }>(
    `UPDATE nodes SET failed_tests = CASE WHEN $2 THEN 0 ELSE failed_tests + 1 END
      WHERE pubkey_ed25519 = $1 RETURNING failed_tests`,
    [pubkeyEd25519, passed],
  );
  return res.rows[0] ? Number(res.rows[0].failed_tests) : undefined;
}

/** Forgets nodes silent since before `cutoffMs`; they must announce again. Returns how many. */
export async function deleteSilentNodes(db: Queryable, cutoffMs: number): Promise<number> {
  const res = await db.query(`DELETE FROM nodes WHERE last_seen_ms < $1`, [cutoffMs]);
  return res.rowCount;
}
