// Accounts held here and their hand-over to another swarm, across everything kept per account
// (messages and subaccount revocations): which accounts this node holds, the mark set when an
// account was pushed to its new swarm, cleared when it comes back, and the drop once the grace
// period has passed.
import type { Database } from '@starling/platform';

/** Tables whose rows belong to an account and move with it. */
const ACCOUNT_TABLES = ['messages', 'revoked_subaccounts'] as const;

type Row = Record<string, unknown>;
const bytes = (v: unknown): Buffer => (Buffer.isBuffer(v) ? v : Buffer.from(v as Uint8Array));

export class AccountHandOver {
  constructor(private readonly db: Database) {}

  /** Every account with data here, with whether it was already handed over. */
  async accounts(): Promise<{ owner: Buffer; handedOver: boolean }[]> {
    const held = ACCOUNT_TABLES.map((t) => `SELECT owner, handed_over_ms IS NOT NULL AS handed FROM ${t}`).join(' UNION ALL ');
    const res = await this.db.query<Row>(`SELECT owner, bool_or(handed) AS handed FROM (${held}) a GROUP BY owner`);
    return res.rows.map((r) => ({ owner: bytes(r.owner), handedOver: r.handed === true }));
  }

  /** Notes that these accounts were handed to their new swarm (kept until the grace period ends). */
  async mark(owners: readonly Buffer[], nowMs: number): Promise<void> {
    await this.update(owners, (t) => `UPDATE ${t} SET handed_over_ms = $2 WHERE owner = ANY($1::bytea[]) AND handed_over_ms IS NULL`, [String(nowMs)]);
  }

  /** Accounts that came back to this swarm are ours again. */
  async clear(owners: readonly Buffer[]): Promise<void> {
    await this.update(owners, (t) => `UPDATE ${t} SET handed_over_ms = NULL WHERE owner = ANY($1::bytea[]) AND handed_over_ms IS NOT NULL`);
  }

  /** Drops what was handed over at or before `beforeMs`; returns how many rows. */
  async prune(beforeMs: number): Promise<number> {
    let removed = 0;
    for (const t of ACCOUNT_TABLES) {
      removed += (await this.db.query(`DELETE FROM ${t} WHERE handed_over_ms IS NOT NULL AND handed_over_ms <= $1`, [String(beforeMs)])).rowCount;
    }
    return removed;
  }

  private async update(owners: readonly Buffer[], sql: (table: string) => string, params: unknown[] = []): Promise<void> {
    if (owners.length === 0) return;
    await this.db.transaction(async (tx) => {
      for (const t of ACCOUNT_TABLES) await tx.query(sql(t), [owners, ...params]);
    });
  }
}
