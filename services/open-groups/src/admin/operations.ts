// Operator actions shared by the admin command line and the tests: rooms, roles, permissions and
// bans applied straight to the database (the server sees them on its next request).
import type { Database } from '@starling/platform';
import { nowSeconds } from '../clock';
import { pruneEmptyOverride, setGlobalRole, setRoomRole } from '../moderation/moderation.routes';
import type { Room } from '../rooms/room';
import { RoomsService } from '../rooms/rooms.service';
import { UsersService } from '../users/users.service';

export type PermissionFlag = 'read' | 'write' | 'upload' | 'accessible';
const FLAG_LETTERS: Record<string, PermissionFlag> = { r: 'read', w: 'write', u: 'upload', a: 'accessible' };

/** Parses `rwua`-style permission letters. */
export function parsePermissionLetters(letters: string): PermissionFlag[] {
  return [...letters].map((c) => {
    const flag = FLAG_LETTERS[c];
    if (!flag) throw new Error(`unknown permission letter "${c}" (use r, w, u, a)`);
    return flag;
  });
}

export class AdminOperations {
  readonly rooms = new RoomsService({ activeUsersCutoffSeconds: 7 * 86400 });
  readonly users: UsersService;

  constructor(
    readonly db: Database,
    serverPk: Uint8Array,
    requireBlinding = true,
    private readonly now: () => number = nowSeconds,
  ) {
    this.users = new UsersService(serverPk, requireBlinding);
  }

  async room(token: string): Promise<Room> {
    const found = await this.rooms.find(this.db, token, null);
    if (!found) throw new Error(`no such room: ${token}`);
    return found.room;
  }

  async addRoom(token: string, name?: string, description?: string): Promise<Room> {
    if (await this.rooms.find(this.db, token, null)) throw new Error(`room ${token} already exists`);
    return this.rooms.create(this.db, token, name ?? token, description ?? null, this.now());
  }

  async deleteRoom(token: string): Promise<void> {
    const room = await this.room(token);
    await this.db.transaction(async (tx) => {
      await tx.query('UPDATE files SET expiry = $2, room = NULL WHERE room = $1', [room.id, this.now()]);
      await tx.query('UPDATE rooms SET image = NULL WHERE id = $1', [room.id]);
      await tx.query('DELETE FROM rooms WHERE id = $1', [room.id]);
    });
  }

  async updateRoom(token: string, changes: { name?: string; description?: string | null; imageFile?: { data: Buffer; filename: string | null } }): Promise<number> {
    const room = await this.room(token);
    return this.db.transaction(async (tx) => {
      if (changes.name !== undefined) await tx.query('UPDATE rooms SET name = $2 WHERE id = $1', [room.id, changes.name]);
      if (changes.description !== undefined) await tx.query('UPDATE rooms SET description = $2 WHERE id = $1', [room.id, changes.description]);
      if (changes.imageFile) {
        const now = this.now();
        const ins = await tx.query<{ id: string }>(
          'INSERT INTO files (room, size, uploaded, expiry, filename, data) VALUES ($1, $2, $3, NULL, $4, $5) RETURNING id',
          [room.id, changes.imageFile.data.length, now, changes.imageFile.filename, changes.imageFile.data],
        );
        await tx.query('UPDATE files SET expiry = $2 WHERE id = (SELECT image FROM rooms WHERE id = $1)', [room.id, now]);
        await tx.query('UPDATE rooms SET image = $2 WHERE id = $1', [room.id, ins.rows[0].id]);
      }
      return this.rooms.bumpInfoUpdates(tx, room.id);
    });
  }

  /** tokens: room tokens, or '*' for every room; null = global. */
  private async targetRooms(tokens: string[] | null): Promise<Room[] | null> {
    if (tokens === null) return null;
    if (tokens.length === 1 && tokens[0] === '*') return this.rooms.all(this.db);
    const out: Room[] = [];
    for (const t of tokens) out.push(await this.room(t));
    return out;
  }

  async addModerator(sessionId: string, tokens: string[] | null, opts: { admin?: boolean; visible?: boolean } = {}): Promise<void> {
    const rooms = await this.targetRooms(tokens);
    await this.db.transaction(async (tx) => {
      const user = await this.users.resolveTarget(tx, sessionId, this.now());
      const change = { moderator: true, admin: opts.admin ? true : null };
      if (rooms === null) {
        await setGlobalRole(tx, user.id, change, opts.visible ?? false, false);
        await this.rooms.bumpAllInfoUpdates(tx);
        return;
      }
      for (const room of rooms) {
        await setRoomRole(tx, room.id, user.id, change, opts.visible ?? true, false);
        await this.rooms.bumpInfoUpdates(tx, room.id);
      }
    });
  }

  async removeModerator(sessionId: string, tokens: string[] | null): Promise<void> {
    const rooms = await this.targetRooms(tokens);
    await this.db.transaction(async (tx) => {
      const user = await this.users.resolveTarget(tx, sessionId, this.now());
      const change = { moderator: false, admin: false };
      if (rooms === null) {
        await setGlobalRole(tx, user.id, change, false, false);
        await this.rooms.bumpAllInfoUpdates(tx);
        return;
      }
      for (const room of rooms) {
        await setRoomRole(tx, room.id, user.id, change, true, false);
        await pruneEmptyOverride(tx, room.id, user.id);
        await this.rooms.bumpInfoUpdates(tx, room.id);
      }
    });
  }

  /** Room defaults (no users) or per-user overrides: value true/false, or null to clear. */
  async setPermissions(tokens: string[], flags: PermissionFlag[], value: boolean | null, users: string[] = []): Promise<void> {
    const rooms = (await this.targetRooms(tokens))!;
    await this.db.transaction(async (tx) => {
      for (const room of rooms) {
        if (!users.length) {
          if (value === null) throw new Error('room defaults cannot be cleared; use add or remove');
          for (const f of flags) await tx.query(`UPDATE rooms SET ${f} = $2 WHERE id = $1`, [room.id, value]);
          continue;
        }
        for (const sid of users) {
          const user = await this.users.resolveTarget(tx, sid, this.now());
          for (const f of flags) {
            await tx.query(
              `INSERT INTO user_permission_overrides (room, "user", ${f}) VALUES ($1, $2, $3)
               ON CONFLICT (room, "user") DO UPDATE SET ${f} = EXCLUDED.${f}`,
              [room.id, user.id, value],
            );
          }
          await pruneEmptyOverride(tx, room.id, user.id);
        }
      }
    });
  }

  async ban(sessionId: string, tokens: string[] | null, timeoutSeconds?: number): Promise<void> {
    const rooms = await this.targetRooms(tokens);
    await this.db.transaction(async (tx) => {
      const user = await this.users.resolveTarget(tx, sessionId, this.now());
      const roomIds = rooms === null ? [null] : rooms.map((r) => r.id);
      for (const roomId of roomIds) {
        if (roomId === null) await tx.query('UPDATE users SET banned = TRUE WHERE id = $1', [user.id]);
        else {
          await tx.query(
            `INSERT INTO user_permission_overrides (room, "user", banned, moderator, admin) VALUES ($1, $2, TRUE, FALSE, FALSE)
             ON CONFLICT (room, "user") DO UPDATE SET banned = TRUE, moderator = FALSE, admin = FALSE`,
            [roomId, user.id],
          );
        }
        await tx.query('DELETE FROM user_ban_futures WHERE room IS NOT DISTINCT FROM $1 AND "user" = $2', [roomId, user.id]);
        if (timeoutSeconds) {
          await tx.query('INSERT INTO user_ban_futures (room, "user", at, banned) VALUES ($1, $2, $3, FALSE)', [roomId, user.id, this.now() + timeoutSeconds]);
        }
      }
    });
  }

  async unban(sessionId: string, tokens: string[] | null): Promise<void> {
    const rooms = await this.targetRooms(tokens);
    await this.db.transaction(async (tx) => {
      const user = await this.users.resolveTarget(tx, sessionId, this.now());
      if (rooms === null) {
        await tx.query('UPDATE users SET banned = FALSE WHERE id = $1', [user.id]);
        await tx.query('DELETE FROM user_ban_futures WHERE room IS NULL AND "user" = $1', [user.id]);
        return;
      }
      for (const room of rooms) {
        await tx.query('UPDATE user_permission_overrides SET banned = FALSE WHERE room = $1 AND "user" = $2', [room.id, user.id]);
        await tx.query('DELETE FROM user_ban_futures WHERE room = $1 AND "user" = $2', [room.id, user.id]);
        await pruneEmptyOverride(tx, room.id, user.id);
      }
    });
  }
}
