// Where used X-SOGS-Nonce values are remembered (§2.3: a nonce is spent once seen). With Redis,
// there (shared by replicas, expiring by itself); otherwise in the database, as upstream keeps
// them: bounded by disk rather than memory, and pruned by the cleanup job. Concurrent requests'
// nonces go to the database together, in one statement.
import { toHex } from '@starling/crypto';
import type { Database, SharedState } from '@starling/platform';
import { Coalescer } from '../coalescer';

export interface NonceStore {
  /** True the first time `nonce` is seen; it is remembered until `expiresAt` (unix seconds). */
  claim(nonce: Uint8Array, expiresAt: number, now: number): Promise<boolean>;
  /** Forgets nonces that expired by `now` (a store that expires them itself does nothing). */
  prune(now: number): Promise<void>;
}

interface Claim {
  nonce: Buffer;
  expiresAt: number;
}

export class DatabaseNonces implements NonceStore {
  private readonly claims: Coalescer<Claim, boolean>;

  constructor(private readonly db: Database) {
    this.claims = new Coalescer((claims) => this.insert(claims));
  }

  claim(nonce: Uint8Array, expiresAt: number): Promise<boolean> {
    return this.claims.get({ nonce: Buffer.from(nonce), expiresAt });
  }

  async prune(now: number): Promise<void> {
    await this.db.query('DELETE FROM nonces WHERE expiry <= $1', [now]);
  }

  /** One INSERT for many claims; of the same nonce claimed twice at once, only the first is fresh. */
  private async insert(claims: Claim[]): Promise<boolean[]> {
    // Not worth a disk flush per request (a crash loses at most the last moment's nonces): the
    // statement turns synchronous_commit off for its own transaction, in one round trip.
    const res = await this.db.query<{ nonce: Buffer }>(
      `INSERT INTO nonces (nonce, expiry)
       SELECT claim.nonce, claim.expiry
       FROM unnest($1::bytea[], $2::float8[]) AS claim (nonce, expiry), (SELECT set_config('synchronous_commit', 'off', true)) AS no_flush
       ON CONFLICT (nonce) DO NOTHING RETURNING nonce`,
      [claims.map((c) => c.nonce), claims.map((c) => c.expiresAt)],
    );
    const stored = new Set(res.rows.map((r) => r.nonce.toString('hex')));
    return claims.map((c) => stored.delete(c.nonce.toString('hex')));
  }
}

export class SharedStateNonces implements NonceStore {
  constructor(private readonly state: SharedState) {}

  claim(nonce: Uint8Array, expiresAt: number, now: number): Promise<boolean> {
    const ttlMs = Math.max(1000, Math.ceil((expiresAt - now) * 1000));
    return this.state.setIfAbsent(`sogs-nonce:${toHex(nonce)}`, '1', ttlMs);
  }

  async prune(): Promise<void> {
    // Redis expires the keys.
  }
}
