// Operator actions shared by the admin command line and the tests: rooms, roles, permissions and
// bans, through the same models as the routes (the server sees them on its next request).
import type { Database } from '@starling/platform';
import { nowSeconds } from '../clock';
import { FilesModel } from '../files/files.model';
import { ModerationModel } from '../moderation/moderation.model';
import { PermissionsModel, type Permission } from '../moderation/permissions.model';
import type { Room } from '../rooms/room';
import { RoomsModel } from '../rooms/rooms.model';
import { UsersModel } from '../users/users.model';

export type PermissionFlag = Permission;
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
  readonly rooms = new RoomsModel({ activeUsersCutoffSeconds: 7 * 86400 });
  readonly users: UsersModel;
  private readonly files = new FilesModel();
  private readonly permissions = new PermissionsModel();
  private readonly moderation = new ModerationModel(this.rooms, this.permissions);

  constructor(
    readonly db: Database,
    serverPk: Uint8Array,
    requireBlinding = true,
    private readonly now: () => number = nowSeconds,
  ) {
    this.users = new UsersModel(serverPk, requireBlinding);
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
    await this.db.transaction((tx) => this.rooms.delete(tx, room.id, this.now()));
  }

  /** Changes name, description or image (a file stored as the room's image); returns info_updates. */
  async updateRoom(token: string, changes: { name?: string; description?: string | null; imageFile?: { data: Buffer; filename: string | null } }): Promise<number> {
    const room = await this.room(token);
    return this.db.transaction(async (tx) => {
      const now = this.now();
      const { imageFile, ...text } = changes;
      const image = imageFile
        ? await this.files.add(tx, { room: room.id, uploader: null, data: imageFile.data, filename: imageFile.filename, uploaded: now, expiry: null })
        : undefined;
      return this.rooms.update(tx, room, { ...text, image }, now);
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
      // Global moderators are hidden unless asked; room moderators are shown.
      const visible = opts.visible ?? rooms !== null;
      await this.moderation.changeRole(tx, user.id, rooms, { moderator: true, admin: opts.admin ? true : null }, { visible, demoteOnly: false });
    });
  }

  async removeModerator(sessionId: string, tokens: string[] | null): Promise<void> {
    const rooms = await this.targetRooms(tokens);
    await this.db.transaction(async (tx) => {
      const user = await this.users.resolveTarget(tx, sessionId, this.now());
      await this.moderation.changeRole(tx, user.id, rooms, { moderator: false, admin: false }, { visible: rooms !== null, demoteOnly: false });
      for (const room of rooms ?? []) await this.permissions.pruneEmptyOverride(tx, room.id, user.id);
    });
  }

  /** Room defaults (no users) or per-user overrides: value true/false, or null to clear. */
  async setPermissions(tokens: string[], flags: PermissionFlag[], value: boolean | null, users: string[] = []): Promise<void> {
    const rooms = (await this.targetRooms(tokens))!;
    const values = Object.fromEntries(flags.map((f) => [f, value]));
    await this.db.transaction(async (tx) => {
      for (const room of rooms) {
        if (!users.length) {
          if (value === null) throw new Error('room defaults cannot be cleared; use add or remove');
          await this.rooms.update(tx, room, { defaults: values as Record<PermissionFlag, boolean> }, this.now());
          continue;
        }
        for (const sid of users) {
          const user = await this.users.resolveTarget(tx, sid, this.now());
          await this.permissions.setOverride(tx, room.id, user.id, values, false);
        }
      }
    });
  }

  async ban(sessionId: string, tokens: string[] | null, timeoutSeconds?: number): Promise<void> {
    const rooms = await this.targetRooms(tokens);
    await this.db.transaction(async (tx) => {
      const user = await this.users.resolveTarget(tx, sessionId, this.now());
      const unbanAt = timeoutSeconds ? this.now() + timeoutSeconds : null;
      if (rooms === null) return this.moderation.banGlobally(tx, user.id, unbanAt);
      for (const room of rooms) await this.moderation.banInRoom(tx, room.id, user.id, unbanAt);
    });
  }

  async unban(sessionId: string, tokens: string[] | null): Promise<void> {
    const rooms = await this.targetRooms(tokens);
    await this.db.transaction(async (tx) => {
      const user = await this.users.resolveTarget(tx, sessionId, this.now());
      await this.moderation.unban(tx, user.id, rooms);
    });
  }

  /** Live posts and stored files of a room. */
  contentCounts(room: Room): Promise<{ messages: number; files: number }> {
    return this.rooms.contentCounts(this.db, room.id);
  }

  globalModerators(): Promise<{ sessionId: string; admin: boolean; visible: boolean }[]> {
    return this.users.globalModerators(this.db);
  }
}
