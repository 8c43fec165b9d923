// The subaccount tokens each account revoked (storage-onion 1.3, 1.6): the newest 50 per account
// are kept, as upstream's table trigger keeps them. Order is the time the entry node received the
// revocation (the same on every swarm member, replays from the retry queue included), then the
// order of the tokens in the request.
import type { Database } from '@starling/platform';

/** Revocations kept per account; a request may not revoke more at once. */
export const MAX_REVOKED_SUBACCOUNTS = 50;

type Row = Record<string, unknown>;
const bytes = (v: unknown): Buffer => (Buffer.isBuffer(v) ? v : Buffer.from(v as Uint8Array));

export class RevocationStore {
  constructor(private readonly db: Database) {}

  /**
   * Adds the tokens to the account's list (a token already there moves to the front when this
   * revocation is later) and drops what falls beyond the newest 50. Returns how many were new.
   */
  async revoke(owner: Buffer, tokens: readonly Buffer[], revokedMs: number): Promise<number> {
    if (tokens.length === 0) return 0;
    return this.db.transaction(async (tx) => {
      const res = await tx.query<Row>(
        `INSERT INTO revoked_subaccounts (owner, token, revoked_ms)
         SELECT $1, token, $3 FROM unnest($2::bytea[]) WITH ORDINALITY AS t(token, ord) ORDER BY ord
         ON CONFLICT (owner, token) DO UPDATE SET revoked_ms = EXCLUDED.revoked_ms, seq = EXCLUDED.seq
           WHERE revoked_subaccounts.revoked_ms < EXCLUDED.revoked_ms
         RETURNING (xmax = 0) AS inserted`,
        [owner, tokens, String(revokedMs)],
      );
      await tx.query(
        `DELETE FROM revoked_subaccounts WHERE owner = $1 AND token NOT IN (
           SELECT token FROM revoked_subaccounts WHERE owner = $1 ORDER BY revoked_ms DESC, seq DESC LIMIT $2)`,
        [owner, MAX_REVOKED_SUBACCOUNTS],
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
    const res = await this.db.query<Row>('SELECT token FROM revoked_subaccounts WHERE owner = $1 ORDER BY revoked_ms, seq', [owner]);
    return res.rows.map((r) => bytes(r.token));
  }

  async isRevoked(owner: Buffer, token: Buffer): Promise<boolean> {
    const res = await this.db.query('SELECT 1 FROM revoked_subaccounts WHERE owner = $1 AND token = $2', [owner, token]);
    return res.rowCount > 0;
  }
}
