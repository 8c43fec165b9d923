// Users: lookup and creation by full prefixed id, activity, and the 05 -> blinded hand-over
// (§2.8): roles given to a 05 id before its owner ever connected blinded move to the blinded id
// the first time that person authenticates with it.
import { blind15IdsFromSessionId, blind25IdFromSessionId, CryptoError } from '@starling/crypto';
import { BadInput } from '../domain/errors';
import type { Database, Queryable } from '@starling/platform';
import { User, USER_COLUMNS, userFromRow, UserRow } from './user';
import { WriteThrottle } from './write-throttle';

/** The sign-cleared form of a 15 id: both sign variants of one person map to the same string. */
export function blindedAbs(id15: string): string {
  const nibble = parseInt(id15[64], 16) & 0x7;
  return id15.slice(0, 64) + nibble.toString(16) + id15.slice(65);
}

export class UsersModel {
  private readonly activity = new WriteThrottle();

  constructor(
    private readonly serverPk: Uint8Array,
    private readonly requireBlinding: boolean,
  ) {}

  async find(q: Queryable, sessionId: string): Promise<User | null> {
    const res = await q.query<UserRow>(`SELECT ${USER_COLUMNS} FROM users WHERE session_id = $1`, [sessionId]);
    return res.rows[0] ? userFromRow(res.rows[0]) : null;
  }

  async byId(q: Queryable, id: number): Promise<User | null> {
    const res = await q.query<UserRow>(`SELECT ${USER_COLUMNS} FROM users WHERE id = $1`, [id]);
    return res.rows[0] ? userFromRow(res.rows[0]) : null;
  }

  /** The user of an authenticated request: created on first use, roles handed over if pending. */
  async getOrCreate(db: Database, sessionId: string, now: number): Promise<User> {
    const existing = await this.find(db, sessionId);
    if (existing) return existing;
    return db.transaction(async (tx) => {
      const created = await this.insert(tx, sessionId, now);
      if (sessionId.startsWith('15') || sessionId.startsWith('25')) await this.adoptPending(tx, created, sessionId);
      return (await this.byId(tx, created.id))!;
    });
  }

  /** Inserts a user row, tolerating a concurrent insert of the same id. */
  async insert(q: Queryable, sessionId: string, now: number): Promise<User> {
    await q.query(
      `INSERT INTO users (session_id, created, last_active) VALUES ($1, $2, $2) ON CONFLICT (session_id) DO NOTHING`,
      [sessionId, now],
    );
    return (await this.find(q, sessionId))!;
  }

  /** Records activity; skipped while this process wrote it less than a minute ago. */
  async touch(q: Queryable, user: User, now: number): Promise<void> {
    const key = String(user.id);
    if (!this.activity.due(key, now)) return;
    await q.query('UPDATE users SET last_active = $2 WHERE id = $1', [user.id, now]);
    this.activity.record(key, now);
  }

  /**
   * The user row an admin action on `sessionId` applies to. A 05 id on a blinding server maps to
   * the person's blinded row when one exists; otherwise the 05 row is used and remembered in
   * needs_blinding so that the roles follow the person when they first connect blinded.
   */
  async resolveTarget(q: Queryable, sessionId: string, now: number): Promise<User> {
    if (sessionId.startsWith('05') && this.requireBlinding) {
      const [pos, neg, id25] = this.blindedIds(sessionId);
      for (const candidate of [id25, pos, neg]) {
        const found = await this.find(q, candidate);
        if (found) return found;
      }
      const user = await this.insert(q, sessionId, now);
      for (const key of [blindedAbs(pos), id25]) {
        await q.query(
          `INSERT INTO needs_blinding (blinded_abs, "user") VALUES ($1, $2) ON CONFLICT (blinded_abs) DO UPDATE SET "user" = EXCLUDED."user"`,
          [key, user.id],
        );
      }
      return user;
    }
    return (await this.find(q, sessionId)) ?? this.insert(q, sessionId, now);
  }

  /** The 15 ids (both signs) and the 25 id of a 05 Session ID, which must be a real X25519 key. */
  private blindedIds(sessionId: string): [string, string, string] {
    try {
      const [pos, neg] = blind15IdsFromSessionId(sessionId, this.serverPk);
      return [pos, neg, blind25IdFromSessionId(sessionId, this.serverPk)];
    } catch (err) {
      if (err instanceof CryptoError) throw new BadInput(`not a valid Session ID: ${sessionId} is no X25519 public key`);
      throw err;
    }
  }

  /** Moves global roles, room overrides and scheduled changes from a pending 05 row. */
  private async adoptPending(q: Queryable, user: User, blindedId: string): Promise<void> {
    const key = blindedId.startsWith('15') ? blindedAbs(blindedId) : blindedId;
    const pending = await q.query<{ user: string }>('SELECT "user" FROM needs_blinding WHERE blinded_abs = $1', [key]);
    if (!pending.rows[0]) return;
    const from = Number(pending.rows[0].user);
    await q.query(
      `UPDATE users n SET banned = o.banned, moderator = o.moderator, admin = o.admin, visible_mod = o.visible_mod
         FROM users o WHERE n.id = $1 AND o.id = $2`,
      [user.id, from],
    );
    await q.query('UPDATE users SET banned = FALSE, moderator = FALSE, admin = FALSE, visible_mod = FALSE WHERE id = $1', [from]);
    await q.query('UPDATE user_permission_overrides SET "user" = $1 WHERE "user" = $2', [user.id, from]);
    await q.query('UPDATE user_permission_futures SET "user" = $1 WHERE "user" = $2', [user.id, from]);
    await q.query('UPDATE user_ban_futures SET "user" = $1 WHERE "user" = $2', [user.id, from]);
    await q.query('DELETE FROM needs_blinding WHERE "user" = $1', [from]);
  }
}
