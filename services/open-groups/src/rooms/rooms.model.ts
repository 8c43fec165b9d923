// Room lookup, access resolution, the room object of API v3 §1.3, room metadata changes and
// room activity (active users).
import type { NamedStatement, Queryable } from '@starling/platform';
import { Forbidden, NotFound, Unacceptable } from '../domain/errors';
import { User, userFromRow } from '../users/user';
import { WriteThrottle } from '../users/write-throttle';
import { Access, NO_OVERRIDE, Override, resolveAccess, Room, ROOM_COLUMNS, roomFromRow, RoomDefaults, RoomRow } from './room';

export interface RoomWithAccess {
  room: Room;
  access: Access;
  override: Override;
}

interface OverrideColumns {
  o_banned: boolean | null;
  o_read: boolean | null;
  o_accessible: boolean | null;
  o_write: boolean | null;
  o_upload: boolean | null;
  o_moderator: boolean | null;
  o_admin: boolean | null;
  o_visible_mod: boolean | null;
}

const OVERRIDE_SELECT =
  'o.banned AS o_banned, o.read AS o_read, o.accessible AS o_accessible, o.write AS o_write, o.upload AS o_upload, o.moderator AS o_moderator, o.admin AS o_admin, o.visible_mod AS o_visible_mod';

function overrideFrom(row: OverrideColumns): Override {
  if (row.o_banned === null) return NO_OVERRIDE;
  return {
    banned: !!row.o_banned,
    read: row.o_read,
    accessible: row.o_accessible,
    write: row.o_write,
    upload: row.o_upload,
    moderator: !!row.o_moderator,
    admin: !!row.o_admin,
    visibleMod: !!row.o_visible_mod,
  };
}

/** A room row with the caller's override columns, and the access they give `user`. */
function withAccess(row: RoomRow & OverrideColumns, user: User | null): RoomWithAccess {
  const room = roomFromRow(row);
  const override = overrideFrom(row);
  return { room, override, access: resolveAccess(room, user, override) };
}

/** The user columns of CALLERS_ROOMS, prefixed so that they cannot clash with the room's. */
interface CallerColumns {
  i: string;
  u_id: string | null;
  u_session_id: string;
  u_banned: boolean;
  u_moderator: boolean;
  u_admin: boolean;
  u_visible_mod: boolean;
}

/**
 * For each (session id, room token) pair: the user row, the room and the user's override in it,
 * all NULL where nothing matched; `i` is the pair's position (from 1). The polling path's one
 * read of the database, for many requests at once.
 */
const CALLERS_ROOMS: NamedStatement = {
  name: 'og_callers_rooms',
  text: `SELECT k.i, u.id AS u_id, u.session_id AS u_session_id, u.banned AS u_banned, u.moderator AS u_moderator,
                u.admin AS u_admin, u.visible_mod AS u_visible_mod, ${ROOM_COLUMNS}, ${OVERRIDE_SELECT}
           FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS k(session_id, token, i)
           LEFT JOIN users u ON u.session_id = k.session_id
           LEFT JOIN rooms r ON lower(r.token) = lower(k.token)
           LEFT JOIN user_permission_overrides o ON o.room = r.id AND o."user" = u.id`,
};

export interface CallerRoomKey {
  sessionId: string;
  token: string;
}

export interface CallerAndRoom {
  user: User | null;
  /** The room with the user's access (as find() gives it), null when there is no such room. */
  found: RoomWithAccess | null;
}

export interface RoomConfig {
  activeUsersCutoffSeconds: number;
}

/** A change of a room's metadata; absent fields stay as they are. */
export interface RoomChanges {
  name?: string;
  /** null removes the description. */
  description?: string | null;
  defaults?: Partial<RoomDefaults>;
  /** A file uploaded to this room, kept (never expiring) as the room's image. */
  image?: number;
}

const DEFAULT_COLUMNS = ['read', 'accessible', 'write', 'upload'] as const;

/** What a route needs the caller to be able to do in a room. */
export type RoomNeed = 'read' | 'moderator' | 'admin';

/** Upstream's refusal of a message read (a room ban included). */
export const READ_REFUSAL = "This endpoint requires room message 'read' permission";

const REFUSALS: Record<RoomNeed, string> = {
  read: READ_REFUSAL,
  moderator: 'This endpoint requires moderator room permissions',
  admin: 'This endpoint requires admin room permissions',
};

export class RoomsModel {
  private readonly activity = new WriteThrottle();

  constructor(private readonly config: RoomConfig) {}

  /** Room by token (case-insensitive) with the caller's access, or null when it does not exist. */
  async find(q: Queryable, token: string, user: User | null): Promise<RoomWithAccess | null> {
    const res = await q.query<RoomRow & OverrideColumns>(
      `SELECT ${ROOM_COLUMNS}, ${OVERRIDE_SELECT}
         FROM rooms r LEFT JOIN user_permission_overrides o ON o.room = r.id AND o."user" = $2
        WHERE lower(r.token) = lower($1)`,
      [token, user?.id ?? -1],
    );
    const row = res.rows[0];
    return row ? withAccess(row, user) : null;
  }

  /** For each pair, the user with that session id (null: none) and find() of the room for them. */
  async findWithCallers(q: Queryable, pairs: readonly CallerRoomKey[]): Promise<CallerAndRoom[]> {
    const res = await q.query<CallerColumns & RoomRow & OverrideColumns>(CALLERS_ROOMS, [
      pairs.map((p) => p.sessionId),
      pairs.map((p) => p.token),
    ]);
    const out = new Array<CallerAndRoom>(pairs.length);
    for (const row of res.rows) {
      const user =
        row.u_id === null
          ? null
          : userFromRow({
              id: row.u_id,
              session_id: row.u_session_id,
              banned: row.u_banned,
              moderator: row.u_moderator,
              admin: row.u_admin,
              visible_mod: row.u_visible_mod,
            });
      out[Number(row.i) - 1] = { user, found: row.id === null ? null : withAccess(row, user) };
    }
    return out;
  }

  /**
   * A room the caller can at least see; an inaccessible room looks exactly like a missing one.
   * `prefetched` is this request's own find() of the token, made with its authentication.
   */
  async get(q: Queryable, token: string, user: User | null, prefetched?: RoomWithAccess | null): Promise<RoomWithAccess> {
    const found = prefetched !== undefined ? prefetched : await this.find(q, token, user);
    if (!found || !found.access.accessible) throw new NotFound('No such room');
    return found;
  }

  /**
   * get(), for a caller who must be able to read the room, or be its moderator or admin. A
   * reader banned from the room is told so (403, as upstream), not shown a missing room.
   */
  async getFor(q: Queryable, token: string, user: User | null, need: RoomNeed, prefetched?: RoomWithAccess | null): Promise<RoomWithAccess> {
    const found = prefetched !== undefined ? prefetched : await this.find(q, token, user);
    if (need === 'read' && found?.access.banned) throw new Forbidden(READ_REFUSAL);
    const visible = await this.get(q, token, user, found);
    if (!visible.access[need]) throw new Forbidden(REFUSALS[need]);
    return visible;
  }

  /** get(), for a caller about to post, edit, delete or upload there: a room ban is a 403 "Permission denied", as upstream. */
  async getToWrite(q: Queryable, token: string, user: User | null): Promise<RoomWithAccess> {
    const found = await this.find(q, token, user);
    if (found?.access.banned) throw new Forbidden();
    return this.get(q, token, user, found);
  }

  /** The row locked for a change that bumps its counters (serialises seqno allocation). */
  async lock(q: Queryable, roomId: number): Promise<Room> {
    const res = await q.query<RoomRow>(`SELECT ${ROOM_COLUMNS} FROM rooms r WHERE r.id = $1 FOR UPDATE`, [roomId]);
    if (!res.rows[0]) throw new NotFound('No such room');
    return roomFromRow(res.rows[0]);
  }

  async listAccessible(q: Queryable, user: User | null): Promise<RoomWithAccess[]> {
    const res = await q.query<RoomRow & OverrideColumns>(
      `SELECT ${ROOM_COLUMNS}, ${OVERRIDE_SELECT}
         FROM rooms r LEFT JOIN user_permission_overrides o ON o.room = r.id AND o."user" = $1
        ORDER BY r.token`,
      [user?.id ?? -1],
    );
    return res.rows.map((row) => withAccess(row, user)).filter((r) => r.access.accessible);
  }

  /**
   * Records that the user looked at the room (drives active_users). A poller's row is rewritten
   * at most once a minute by this process (see WriteThrottle).
   */
  async recordActivity(q: Queryable, roomId: number, user: User | null, now: number): Promise<void> {
    if (!user) return;
    const key = `${roomId}:${user.id}`;
    if (!this.activity.due(key, now)) return;
    await q.query(
      `INSERT INTO room_users (room, "user", last_active) VALUES ($1, $2, $3)
       ON CONFLICT (room, "user") DO UPDATE SET last_active = EXCLUDED.last_active`,
      [roomId, user.id, now],
    );
    this.activity.record(key, now);
  }

  /** Deletes the user's activity row (a ban): their next read records it afresh. */
  async forgetActivity(q: Queryable, roomId: number, userId: number): Promise<void> {
    await q.query('DELETE FROM room_users WHERE room = $1 AND "user" = $2', [roomId, userId]);
    this.activity.forget(`${roomId}:${userId}`);
  }

  /**
   * Applies `changes` (run it in a transaction); returns info_updates, which moved if anything
   * the room's details show changed (the database's triggers count it: migrations/0002).
   */
  async update(tx: Queryable, room: Room, changes: RoomChanges, now: number): Promise<number> {
    const sets: string[] = [];
    const values: unknown[] = [];
    const set = (column: string, value: unknown) => {
      values.push(value);
      sets.push(`${column} = $${values.length + 1}`);
    };
    if (changes.name !== undefined) set('name', changes.name);
    if (changes.description !== undefined) set('description', changes.description);
    for (const column of DEFAULT_COLUMNS) {
      const value = changes.defaults?.[column];
      if (value !== undefined) set(column, value);
    }
    if (changes.image !== undefined) {
      const file = await tx.query('SELECT 1 FROM files WHERE id = $1 AND room = $2 AND (expiry IS NULL OR expiry > $3)', [changes.image, room.id, now]);
      if (!file.rowCount) throw new Unacceptable('Image file must be uploaded to this room');
      // The old image goes away; the new one never expires.
      await tx.query('UPDATE files SET expiry = $2 WHERE id = (SELECT image FROM rooms WHERE id = $1) AND id <> $3', [room.id, now, changes.image]);
      await tx.query('UPDATE files SET expiry = NULL WHERE id = $1', [changes.image]);
      set('image', changes.image);
    }
    if (sets.length) await tx.query(`UPDATE rooms SET ${sets.join(', ')} WHERE id = $1`, [room.id, ...values]);
    return this.infoUpdates(tx, room.id);
  }

  /** Deletes a room with its messages; its files expire now (run it in a transaction). */
  async delete(tx: Queryable, roomId: number, now: number): Promise<void> {
    await tx.query('UPDATE files SET expiry = $2, room = NULL WHERE room = $1', [roomId, now]);
    await tx.query('UPDATE rooms SET image = NULL WHERE id = $1', [roomId]);
    await tx.query('DELETE FROM rooms WHERE id = $1', [roomId]);
  }

  /** Live posts and stored files of a room (the operator's listing). */
  async contentCounts(q: Queryable, roomId: number): Promise<{ messages: number; files: number }> {
    const res = await q.query<{ messages: string; files: string }>(
      `SELECT (SELECT count(*) FROM messages WHERE room = $1 AND data IS NOT NULL) AS messages,
              (SELECT count(*) FROM files WHERE room = $1) AS files`,
      [roomId],
    );
    return { messages: Number(res.rows[0].messages), files: Number(res.rows[0].files) };
  }

  /** Forgets room visits older than `before`, then recounts every room's active users since `activeSince`. */
  async recountActiveUsers(q: Queryable, before: number, activeSince: number): Promise<void> {
    await q.query('DELETE FROM room_users WHERE last_active < $1', [before]);
    await q.query(
      `UPDATE rooms r SET active_users = (SELECT count(*) FROM room_users ru WHERE ru.room = r.id AND ru.last_active >= $1)`,
      [activeSince],
    );
  }

  /** Active users by room token, as last counted. */
  async activeUsers(q: Queryable): Promise<{ token: string; activeUsers: number }[]> {
    const res = await q.query<{ token: string; active_users: string }>('SELECT token, active_users FROM rooms');
    return res.rows.map((r) => ({ token: r.token, activeUsers: Number(r.active_users) }));
  }

  /** The room's info_updates as it stands (triggers move it: see migrations/0002). */
  async infoUpdates(q: Queryable, roomId: number): Promise<number> {
    const res = await q.query<{ info_updates: string }>('SELECT info_updates FROM rooms WHERE id = $1', [roomId]);
    return Number(res.rows[0].info_updates);
  }

  /** Every room's info_updates by token (a global role shows in every room). */
  async allInfoUpdates(q: Queryable): Promise<Record<string, number>> {
    const res = await q.query<{ token: string; info_updates: string }>('SELECT token, info_updates FROM rooms');
    return Object.fromEntries(res.rows.map((r) => [r.token, Number(r.info_updates)]));
  }

  /** Visible and hidden moderators/admins: room roles plus global ones, system user excluded. */
  async moderators(q: Queryable, roomId: number): Promise<{ mods: string[]; admins: string[]; hiddenMods: string[]; hiddenAdmins: string[] }> {
    const res = await q.query<{ session_id: string; admin: boolean; visible: boolean }>(
      `SELECT u.session_id,
              (u.admin OR COALESCE(o.admin, FALSE)) AS admin,
              CASE WHEN COALESCE(o.moderator, FALSE) THEN o.visible_mod ELSE u.visible_mod END AS visible
         FROM users u LEFT JOIN user_permission_overrides o ON o."user" = u.id AND o.room = $1
        WHERE (u.moderator OR COALESCE(o.moderator, FALSE)) AND u.session_id NOT LIKE 'ff%'
        ORDER BY u.session_id`,
      [roomId],
    );
    const out = { mods: [] as string[], admins: [] as string[], hiddenMods: [] as string[], hiddenAdmins: [] as string[] };
    for (const r of res.rows) {
      if (r.admin) (r.visible ? out.admins : out.hiddenAdmins).push(r.session_id);
      else (r.visible ? out.mods : out.hiddenMods).push(r.session_id);
    }
    return out;
  }

  async pinned(q: Queryable, roomId: number): Promise<{ id: number; pinned_at: number; pinned_by: string }[]> {
    const res = await q.query<{ message: string; pinned_at: number; session_id: string }>(
      `SELECT p.message, p.pinned_at, u.session_id FROM pinned_messages p JOIN users u ON u.id = p.pinned_by
        WHERE p.room = $1 ORDER BY p.pinned_at, p.message`,
      [roomId],
    );
    return res.rows.map((r) => ({ id: Number(r.message), pinned_at: Number(r.pinned_at), pinned_by: r.session_id }));
  }

  /** The caller-specific role flags shared by the room object and pollInfo. */
  roleFlags(room: Room, access: Access): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    if (access.moderator) {
      out.moderator = true;
      out.default_read = room.defaults.read;
      out.default_accessible = room.defaults.accessible;
      out.default_write = room.defaults.write;
      out.default_upload = room.defaults.upload;
    }
    if (access.admin) out.admin = true;
    if (access.globalModerator) out.global_moderator = true;
    if (access.globalAdmin) out.global_admin = true;
    return out;
  }

  /** The v3 room object (§1.3) as this caller sees it. */
  async roomObject(q: Queryable, { room, access }: RoomWithAccess): Promise<Record<string, unknown>> {
    const mods = await this.moderators(q, room.id);
    const obj: Record<string, unknown> = {
      token: room.token,
      name: room.name,
      info_updates: room.infoUpdates,
      message_sequence: room.messageSequence,
      created: room.created,
      active_users: room.activeUsers,
      active_users_cutoff: this.config.activeUsersCutoffSeconds,
      moderators: mods.mods,
      admins: mods.admins,
      read: access.read,
      write: access.write,
      upload: access.upload,
    };
    if (room.description !== null) obj.description = room.description;
    if (room.imageId !== null) obj.image_id = room.imageId;
    const pinned = await this.pinned(q, room.id);
    if (pinned.length) obj.pinned_messages = pinned;
    if (access.moderator) {
      if (mods.hiddenMods.length) obj.hidden_moderators = mods.hiddenMods;
      if (mods.hiddenAdmins.length) obj.hidden_admins = mods.hiddenAdmins;
    }
    return { ...obj, ...this.roleFlags(room, access) };
  }

  async create(q: Queryable, token: string, name: string, description: string | null, now: number): Promise<Room> {
    const res = await q.query<RoomRow>(
      `INSERT INTO rooms AS r (token, name, description, created) VALUES ($1, $2, $3, $4) RETURNING ${ROOM_COLUMNS}`,
      [token, name, description, now],
    );
    return roomFromRow(res.rows[0]);
  }

  async createIfMissing(q: Queryable, token: string, now: number): Promise<boolean> {
    const res = await q.query(
      `INSERT INTO rooms (token, name, created) SELECT $1, $1, $2
        WHERE NOT EXISTS (SELECT 1 FROM rooms WHERE lower(token) = lower($1))`,
      [token, now],
    );
    return res.rowCount > 0;
  }

  async all(q: Queryable): Promise<Room[]> {
    const res = await q.query<RoomRow>(`SELECT ${ROOM_COLUMNS} FROM rooms r ORDER BY r.token`);
    return res.rows.map(roomFromRow);
  }
}
