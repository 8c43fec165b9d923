// The subaccount tokens each account revoked (storage-onion 1.3, 1.6): the newest 50 per account
// are kept, as upstream's table trigger keeps them. Order is the time the entry node received the
// revocation (the same on every swarm member, replays from the retry queue included), then the
// order of the tokens in the request. Lists move with their account when swarms change
// (DataMover, AccountHandOver).
import type { Database } from '@starling/platform';

/** Revocations kept per account; a request may not revoke more at once. */
export const MAX_REVOKED_SUBACCOUNTS = 50;

/** One revocation as held and as moved between nodes. */
export interface HeldRevocation {
  /** 33-byte prefixed account id. */
  owner: Buffer;
  token: Buffer;
  revokedMs: number;
}

type Row = Record<string, unknown>;
const bytes = (v: unknown): Buffer => (Buffer.isBuffer(v) ? v : Buffer.from(v as Uint8Array));

export class RevocationStore {
  constructor(private readonly db: Database) {}

  /** Revokes the tokens at one time, the last listed being the newest; returns how many were new. */
  revoke(owner: Buffer, tokens: readonly Buffer[], revokedMs: number): Promise<number> {
    return this.merge(tokens.map((token) => ({ owner, token, revokedMs })));
  }

  /**
   * Adds revocations (a token already held moves to its later time) and drops what falls beyond
   * each account's newest 50. Returns how many were new.
   */
  async merge(revocations: readonly HeldRevocation[]): Promise<number> {
    // One row per (account, token), its last mention kept: a statement may not update a row twice.
    const unique = new Map<string, HeldRevocation>();
    for (const r of revocations) {
      const key = `${r.owner.toString('hex')}:${r.token.toString('hex')}`;
      const seen = unique.get(key);
      unique.delete(key);
      unique.set(key, seen && seen.revokedMs > r.revokedMs ? seen : r);
    }
    const rows = [...unique.values()];
    if (rows.length === 0) return 0;
    return this.db.transaction(async (tx) => {
      const res = await tx.query<Row>(
        `INSERT INTO revoked_subaccounts (owner, token, revoked_ms)
         SELECT owner, token, ms FROM unnest($1::bytea[], $2::bytea[], $3::bigint[]) WITH ORDINALITY AS t(owner, token, ms, ord)
          ORDER BY ms, ord
         ON CONFLICT (owner, token) DO UPDATE SET revoked_ms = EXCLUDED.revoked_ms, seq = EXCLUDED.seq
           WHERE revoked_subaccounts.revoked_ms < EXCLUDED.revoked_ms
         RETURNING (xmax = 0) AS inserted`,
        [rows.map((r) => r.owner), rows.map((r) => r.token), rows.map((r) => String(r.revokedMs))],
      );
      await tx.query(
        `DELETE FROM revoked_subaccounts r WHERE r.owner = ANY($1::bytea[]) AND r.token NOT IN (
           SELECT token FROM revoked_subaccounts WHERE owner = r.owner ORDER BY revoked_ms DESC, seq DESC LIMIT $2)`,
        [[...new Map(rows.map((r) => [r.owner.toString('hex'), r.owner])).values()], MAX_REVOKED_SUBACCOUNTS],
      );
      return res.rows.filter((r) => r.inserted === true).length;
    });
  }

  /** Removes the tokens from the account's list; returns how many were there. */
  async unrevoke(owner: Buffer, tokens: readonly Buffer[]): Promise<number> {
    if (tokens.length === 0) return 0;
    const res = await this.db.query('DELETE FROM revoked_subaccounts WHERE owner = $1 AND token = ANY($2::bytea[])', [owner, tokens]);
    return res.rowCount;
  }

  /** The account's revoked tokens, oldest first. */
  async list(owner: Buffer): Promise<Buffer[]> {
    return (await this.ofOwners([owner])).map((r) => r.token);
  }

  /** Every revocation of these accounts, each account's oldest first (for moving them). */
  async ofOwners(owners: readonly Buffer[]): Promise<HeldRevocation[]> {
    if (owners.length === 0) return [];
    const res = await this.db.query<Row>(
      'SELECT owner, token, revoked_ms FROM revoked_subaccounts WHERE owner = ANY($1::bytea[]) ORDER BY owner, revoked_ms, seq',
      [owners],
    );
    return res.rows.map((r) => ({ owner: bytes(r.owner), token: bytes(r.token), revokedMs: Number(r.revoked_ms) }));
  }

  async isRevoked(owner: Buffer, token: Buffer): Promise<boolean> {
    const res = await this.db.query('SELECT 1 FROM revoked_subaccounts WHERE owner = $1 AND token = $2', [owner, token]);
    return res.rowCount > 0;
  }
}
