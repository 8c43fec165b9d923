// Per-user room permission overrides and scheduled ("future") permission changes (§1.9).
import type { Database, Queryable } from '@starling/platform';

export const PERMISSIONS = ['read', 'accessible', 'write', 'upload'] as const;
export type Permission = (typeof PERMISSIONS)[number];
/** The permissions a change can be scheduled for. */
export const FUTURE_PERMISSIONS = ['read', 'write', 'upload'] as const;
export type FuturePermission = (typeof FUTURE_PERMISSIONS)[number];

/** true/false overrides the room default; null goes back to it. */
export type PermissionValues = Partial<Record<Permission, boolean | null>>;

interface OverrideRow {
  session_id: string;
  banned: boolean;
  read: boolean | null;
  accessible: boolean | null;
  write: boolean | null;
  upload: boolean | null;
  moderator: boolean;
  admin: boolean;
  visible_mod: boolean;
}

/** An override row as upstream shows it: only what differs from "nothing special". */
function overrideView(row: OverrideRow): Record<string, boolean> {
  const out: Record<string, boolean> = {};
  for (const p of PERMISSIONS) if (row[p] !== null) out[p] = row[p]!;
  if (row.banned) out.banned = true;
  if (row.admin) out.admin = true;
  else if (row.moderator) out.moderator = true;
  if (row.moderator && !row.visible_mod) out.hidden = true;
  return out;
}

const OVERRIDE_SELECT = `SELECT u.session_id, o.banned, o.read, o.accessible, o.write, o.upload, o.moderator, o.admin, o.visible_mod
  FROM user_permission_overrides o JOIN users u ON u.id = o."user"`;

export class PermissionsModel {
  /** Every override of the room, by session id. */
  async overrides(q: Queryable, roomId: number): Promise<Record<string, Record<string, boolean>>> {
    const res = await q.query<OverrideRow>(`${OVERRIDE_SELECT} WHERE o.room = $1 ORDER BY u.session_id`, [roomId]);
    return Object.fromEntries(res.rows.map((r) => [r.session_id, overrideView(r)]));
  }

  /** One user's override in the room ({} when none). */
  async override(q: Queryable, roomId: number, userId: number): Promise<Record<string, boolean>> {
    const res = await q.query<OverrideRow>(`${OVERRIDE_SELECT} WHERE o.room = $1 AND o."user" = $2`, [roomId, userId]);
    return res.rows[0] ? overrideView(res.rows[0]) : {};
  }

  /**
   * Sets (or resets to the default) a user's permissions in the room. `unschedule` also drops
   * scheduled changes of the same permissions. Run it in a transaction.
   */
  async setOverride(q: Queryable, roomId: number, userId: number, values: PermissionValues, unschedule: boolean): Promise<void> {
    const keys = PERMISSIONS.filter((p) => values[p] !== undefined);
    if (!keys.length) return;
    await q.query(
      `INSERT INTO user_permission_overrides (room, "user", ${keys.join(', ')}) VALUES ($1, $2, ${keys.map((_, i) => `$${i + 3}`).join(', ')})
       ON CONFLICT (room, "user") DO UPDATE SET ${keys.map((k) => `${k} = EXCLUDED.${k}`).join(', ')}`,
      [roomId, userId, ...keys.map((k) => values[k])],
    );
    if (unschedule) {
      for (const p of keys.filter((k): k is FuturePermission => (FUTURE_PERMISSIONS as readonly string[]).includes(k))) {
        await q.query(`UPDATE user_permission_futures SET ${p} = NULL WHERE room = $1 AND "user" = $2`, [roomId, userId]);
      }
      await q.query('DELETE FROM user_permission_futures WHERE room = $1 AND "user" = $2 AND read IS NULL AND write IS NULL AND upload IS NULL', [
        roomId,
        userId,
      ]);
    }
    await this.pruneEmptyOverride(q, roomId, userId);
  }

  /** Scheduled changes of the room (one user's when `userId` is given), soonest first. */
  async futures(q: Queryable, roomId: number, userId: number | null): Promise<Record<string, unknown>[]> {
    const res = await q.query<{ session_id: string; at: number; read: boolean | null; write: boolean | null; upload: boolean | null; banned: boolean | null }>(
      `SELECT u.session_id, f.at, f.read, f.write, f.upload, NULL::boolean AS banned
         FROM user_permission_futures f JOIN users u ON u.id = f."user" WHERE f.room = $1 AND ($2::bigint IS NULL OR f."user" = $2)
       UNION ALL
       SELECT u.session_id, b.at, NULL, NULL, NULL, b.banned
         FROM user_ban_futures b JOIN users u ON u.id = b."user" WHERE b.room = $1 AND ($2::bigint IS NULL OR b."user" = $2)
       ORDER BY at`,
      [roomId, userId],
    );
    return res.rows.map((r) => {
      const entry: Record<string, unknown> = userId === null ? { session_id: r.session_id, at: Number(r.at) } : { at: Number(r.at) };
      for (const k of ['read', 'write', 'upload', 'banned'] as const) if (r[k] !== null) entry[k] = r[k];
      return entry;
    });
  }

  /** Schedules a change of the user's permissions at `at` (null values stay as they are then). */
  async schedule(q: Queryable, roomId: number, userId: number, at: number, values: Record<FuturePermission, boolean | null>): Promise<void> {
    await q.query('INSERT INTO user_permission_futures (room, "user", at, read, write, upload) VALUES ($1, $2, $3, $4, $5, $6)', [
      roomId,
      userId,
      at,
      values.read,
      values.write,
      values.upload,
    ]);
  }

  /**
   * Applies the scheduled changes that are due (the cleanup job). A scheduled value equal to
   * the room default is stored as "use the default" (null).
   */
  applyDueChanges(db: Database, now: number): Promise<void> {
    return db.transaction(async (tx) => {
      const due = await tx.query<{ id: string; room: string; user: string; read: boolean | null; write: boolean | null; upload: boolean | null }>(
        'DELETE FROM user_permission_futures WHERE at <= $1 RETURNING id, room, "user", read, write, upload',
        [now],
      );
      for (const f of due.rows.sort((a, b) => Number(a.id) - Number(b.id))) {
        for (const perm of FUTURE_PERMISSIONS) {
          if (f[perm] === null) continue;
          await tx.query(
            `INSERT INTO user_permission_overrides (room, "user", ${perm})
             SELECT id, $2, CASE WHEN ${perm} = $3 THEN NULL ELSE $3 END FROM rooms WHERE id = $1
             ON CONFLICT (room, "user") DO UPDATE SET ${perm} = EXCLUDED.${perm}`,
            [f.room, f.user, f[perm]],
          );
        }
        await this.pruneEmptyOverride(tx, Number(f.room), Number(f.user));
      }
    });
  }

  /** Override rows that no longer change anything are removed. */
  async pruneEmptyOverride(q: Queryable, roomId: number, userId: number): Promise<void> {
    await q.query(
      `DELETE FROM user_permission_overrides WHERE room = $1 AND "user" = $2 AND NOT banned AND NOT moderator
         AND read IS NULL AND accessible IS NULL AND write IS NULL AND upload IS NULL`,
      [roomId, userId],
    );
  }
}
