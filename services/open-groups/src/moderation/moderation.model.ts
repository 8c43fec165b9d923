// Moderator and admin roles, room and global bans, and scheduled unbans (§1.10). The routes and
// the operator's command line both change roles and bans through here.
import type { Database, Queryable } from '@starling/platform';
import type { RoomsModel } from '../rooms/rooms.model';
import type { PermissionsModel } from './permissions.model';

/** A role to give; admin null keeps the current admin flag (a moderator stays what they were). */
export interface RoleChange {
  moderator: boolean;
  admin: boolean | null;
}

/** A room an action applies to. */
export interface RoomRef {
  id: number;
  token: string;
}

/** $1: the room ids to list (null: every room), $2: whether global entries are listed. */
function scopeParams(rooms: readonly RoomRef[] | null | 'all'): [number[] | null, boolean] {
  if (rooms === 'all') return [null, true];
  if (rooms === null) return [[], true];
  return [rooms.map((r) => r.id), false];
}

export class ModerationModel {
  constructor(
    private readonly rooms: RoomsModel,
    private readonly permissions: PermissionsModel,
  ) {}

  /**
   * Gives (or removes) a role in each room, or globally when `rooms` is null. `demoteOnly` only
   * takes the admin flag away. Returns info_updates by room token: of every room for a global
   * role (the database's triggers move the counters of the rooms whose lists changed).
   */
  async changeRole(
    q: Queryable,
    userId: number,
    rooms: readonly RoomRef[] | null,
    change: RoleChange,
    options: { visible: boolean; demoteOnly: boolean },
  ): Promise<Record<string, number>> {
    if (rooms === null) {
      await this.setGlobalRole(q, userId, change, options.visible, options.demoteOnly);
      return this.rooms.allInfoUpdates(q);
    }
    const out: Record<string, number> = {};
    for (const room of rooms) {
      await this.setRoomRole(q, room.id, userId, change, options.visible, options.demoteOnly);
      out[room.token] = await this.rooms.infoUpdates(q, room.id);
    }
    return out;
  }

  private async setRoomRole(q: Queryable, roomId: number, userId: number, change: RoleChange, visible: boolean, demoteOnly: boolean): Promise<void> {
    if (demoteOnly) {
      await q.query('UPDATE user_permission_overrides SET admin = FALSE WHERE room = $1 AND "user" = $2 AND admin', [roomId, userId]);
      return;
    }
    await q.query(
      `INSERT INTO user_permission_overrides (room, "user", moderator, admin, visible_mod) VALUES ($1, $2, $3, COALESCE($4, FALSE), $5)
       ON CONFLICT (room, "user") DO UPDATE SET moderator = EXCLUDED.moderator,
         admin = COALESCE($4, user_permission_overrides.admin AND EXCLUDED.moderator), visible_mod = EXCLUDED.visible_mod`,
      [roomId, userId, change.moderator, change.admin, visible],
    );
  }

  private async setGlobalRole(q: Queryable, userId: number, change: RoleChange, visible: boolean, demoteOnly: boolean): Promise<void> {
    if (demoteOnly) {
      await q.query('UPDATE users SET admin = FALSE WHERE id = $1', [userId]);
      return;
    }
    await q.query('UPDATE users SET moderator = $2, admin = COALESCE($3, admin AND $2), visible_mod = $4 WHERE id = $1', [
      userId,
      change.moderator,
      change.admin,
      visible,
    ]);
  }

  /** A server-wide ban, lifted at `unbanAt` when given. */
  async banGlobally(q: Queryable, userId: number, unbanAt: number | null): Promise<void> {
    await q.query('UPDATE users SET banned = TRUE WHERE id = $1', [userId]);
    await this.scheduleUnban(q, null, userId, unbanAt);
  }

  /** A room ban (it takes room roles away), lifted at `unbanAt` when given. */
  async banInRoom(q: Queryable, roomId: number, userId: number, unbanAt: number | null): Promise<void> {
    await q.query(
      `INSERT INTO user_permission_overrides (room, "user", banned, moderator, admin) VALUES ($1, $2, TRUE, FALSE, FALSE)
       ON CONFLICT (room, "user") DO UPDATE SET banned = TRUE, moderator = FALSE, admin = FALSE`,
      [roomId, userId],
    );
    await this.rooms.forgetActivity(q, roomId, userId);
    await this.scheduleUnban(q, roomId, userId, unbanAt);
  }

  /** Lifts a ban in each room, or the global one when `rooms` is null, with any scheduled unban. */
  async unban(q: Queryable, userId: number, rooms: readonly RoomRef[] | null): Promise<void> {
    if (rooms === null) {
      await q.query('UPDATE users SET banned = FALSE WHERE id = $1', [userId]);
      await q.query('DELETE FROM user_ban_futures WHERE room IS NULL AND "user" = $1', [userId]);
      return;
    }
    for (const room of rooms) {
      await q.query('UPDATE user_permission_overrides SET banned = FALSE WHERE room = $1 AND "user" = $2', [room.id, userId]);
      await q.query('DELETE FROM user_ban_futures WHERE room = $1 AND "user" = $2', [room.id, userId]);
      await this.permissions.pruneEmptyOverride(q, room.id, userId);
    }
  }

  /**
   * Moderators and admins: global roles (room null) and each room's own, of the rooms given
   * (`rooms` null: global roles only; 'all': every room). Pending 05 ids are listed as such.
   */
  async roles(q: Queryable, rooms: readonly RoomRef[] | null | 'all'): Promise<{ sessionId: string; room: string | null; admin: boolean; visible: boolean }[]> {
    const res = await q.query<{ session_id: string; token: string | null; admin: boolean; visible: boolean }>(
      `SELECT session_id, NULL AS token, admin, visible_mod AS visible FROM users
        WHERE moderator AND session_id NOT LIKE 'ff%' AND $2
       UNION ALL
       SELECT u.session_id, r.token, o.admin, o.visible_mod AS visible
         FROM user_permission_overrides o JOIN users u ON u.id = o."user" JOIN rooms r ON r.id = o.room
        WHERE o.moderator AND ($1::bigint[] IS NULL OR o.room = ANY($1::bigint[]))
        ORDER BY token NULLS FIRST, admin DESC, session_id`,
      scopeParams(rooms),
    );
    return res.rows.map((r) => ({ sessionId: r.session_id, room: r.token, admin: r.admin, visible: r.visible }));
  }

  /** Bans, global (room null) and by room, with when a timed one ends; `rooms` as roles() takes it. */
  async bans(q: Queryable, rooms: readonly RoomRef[] | null | 'all'): Promise<{ sessionId: string; room: string | null; until: number | null }[]> {
    const res = await q.query<{ session_id: string; token: string | null; until: number | null }>(
      `SELECT u.session_id, NULL AS token, (SELECT min(at) FROM user_ban_futures f WHERE f.room IS NULL AND f."user" = u.id AND NOT f.banned) AS until
         FROM users u WHERE u.banned AND $2
       UNION ALL
       SELECT u.session_id, r.token, (SELECT min(at) FROM user_ban_futures f WHERE f.room = o.room AND f."user" = u.id AND NOT f.banned)
         FROM user_permission_overrides o JOIN users u ON u.id = o."user" JOIN rooms r ON r.id = o.room
        WHERE o.banned AND ($1::bigint[] IS NULL OR o.room = ANY($1::bigint[]))
        ORDER BY token NULLS FIRST, session_id`,
      scopeParams(rooms),
    );
    return res.rows.map((r) => ({ sessionId: r.session_id, room: r.token, until: r.until === null ? null : Number(r.until) }));
  }

  /** Applies the scheduled ban changes that are due (the cleanup job). */
  applyDueBans(db: Database, now: number): Promise<void> {
    return db.transaction(async (tx) => {
      const due = await tx.query<{ room: string | null; user: string; banned: boolean }>(
        'DELETE FROM user_ban_futures WHERE at <= $1 RETURNING room, "user", banned',
        [now],
      );
      for (const b of due.rows) {
        if (b.room === null) await tx.query('UPDATE users SET banned = $2 WHERE id = $1', [b.user, b.banned]);
        else await tx.query('UPDATE user_permission_overrides SET banned = $3 WHERE room = $1 AND "user" = $2', [b.room, b.user, b.banned]);
      }
    });
  }

  /** A new ban replaces any scheduled unban; a timed one schedules its own. */
  private async scheduleUnban(q: Queryable, roomId: number | null, userId: number, at: number | null): Promise<void> {
    await q.query('DELETE FROM user_ban_futures WHERE room IS NOT DISTINCT FROM $1 AND "user" = $2', [roomId, userId]);
    if (at !== null) {
      await q.query('INSERT INTO user_ban_futures (room, "user", at, banned) VALUES ($1, $2, $3, FALSE)', [roomId, userId, at]);
    }
  }
}
