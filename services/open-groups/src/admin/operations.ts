// The operator's actions (AdminApi) on a database: rooms, roles, permissions and bans, through the
// same models as the routes, so that the server sees them on its next request. The command line
// runs them on a database it opened itself; the running server runs them for the command line
// over its admin socket.
import { migrate, pendingMigrations, type Database } from '@starling/platform';
import { nowSeconds } from '../clock';
import { BadInput, NotFound } from '../domain/errors';
import { FilesModel } from '../files/files.model';
import { joinUrl } from '../keys/server-key';
import { ModerationModel } from '../moderation/moderation.model';
import { PERMISSIONS, PermissionsModel, type Permission } from '../moderation/permissions.model';
import { checkRoomToken, type Room } from '../rooms/room';
import { RoomsModel } from '../rooms/rooms.model';
import { SESSION_ID_RE } from '../users/user';
import { UsersModel } from '../users/users.model';
import type { AdminApi, BanEntry, ModeratorEntry, RoomDetails, RoomSummary, Scope, SchemaState } from './admin-api';

const FLAG_LETTERS: Record<string, Permission> = { r: 'read', w: 'write', u: 'upload', a: 'accessible' };

/** Parses `rwua`-style permission letters. */
export function parsePermissionLetters(letters: string): Permission[] {
  return [...letters].map((c) => {
    const flag = FLAG_LETTERS[c];
    if (!flag) throw new BadInput(`unknown permission letter "${c}" (use r=read, w=write, u=upload, a=accessible)`);
    return flag;
  });
}

/** A session id as given on the command line, lower-cased, or a BadInput saying what one looks like. */
export function checkSessionId(id: string): string {
  const lower = id.toLowerCase();
  if (!SESSION_ID_RE.test(lower)) throw new BadInput(`not a session id: ${id} (66 hex digits starting 05, 15 or 25)`);
  return lower;
}

export interface AdminOperationsOptions {
  db: Database;
  /** The server's X25519 public key (join URLs, 05 ids mapped to blinded ids). */
  serverPk: Uint8Array;
  requireBlinding: boolean;
  /** Base of join URLs (a function when the port is known only once the server listens). */
  baseUrl: string | (() => string);
  migrationsDir: string;
  activeUsersCutoffSeconds?: number;
  now?: () => number;
}

export class AdminOperations implements AdminApi {
  readonly db: Database;
  readonly rooms: RoomsModel;
  readonly users: UsersModel;
  private readonly files = new FilesModel();
  private readonly permissions = new PermissionsModel();
  private readonly moderation: ModerationModel;
  private readonly now: () => number;

  constructor(private readonly options: AdminOperationsOptions) {
    this.db = options.db;
    this.now = options.now ?? nowSeconds;
    this.rooms = new RoomsModel({ activeUsersCutoffSeconds: options.activeUsersCutoffSeconds ?? 7 * 86400 });
    this.users = new UsersModel(options.serverPk, options.requireBlinding);
    this.moderation = new ModerationModel(this.rooms, this.permissions);
  }

  async schema(): Promise<SchemaState> {
    const pending = await pendingMigrations(this.db, this.options.migrationsDir);
    return { pending: pending.map(migrationName) };
  }

  async upgrade(): Promise<string[]> {
    return (await migrate(this.db, this.options.migrationsDir)).map(migrationName);
  }

  async room(token: string): Promise<Room> {
    checkRoomToken(token);
    const found = await this.rooms.find(this.db, token, null);
    if (!found) throw new NotFound(`no such room: ${token}`);
    return found.room;
  }

  async listRooms(): Promise<RoomSummary[]> {
    const out: RoomSummary[] = [];
    for (const room of await this.rooms.all(this.db)) out.push(await this.summary(room));
    return out;
  }

  async showRoom(token: string): Promise<RoomDetails> {
    const room = await this.room(token);
    const image = room.imageId === null ? null : await this.files.info(this.db, room.imageId);
    return {
      ...(await this.summary(room)),
      image: image && room.imageId !== null ? { id: room.imageId, ...image } : null,
      pinnedMessages: (await this.rooms.pinned(this.db, room.id)).length,
      bans: (await this.moderation.bans(this.db, [room])).length,
    };
  }

  async addRoom(token: string, name?: string | null, description?: string | null): Promise<RoomSummary> {
    checkRoomToken(token);
    if (await this.rooms.find(this.db, token, null)) throw new BadInput(`room ${token} already exists`);
    return this.summary(await this.rooms.create(this.db, token, name ?? token, description ?? null, this.now()));
  }

  async deleteRoom(token: string): Promise<void> {
    const room = await this.room(token);
    await this.db.transaction((tx) => this.rooms.delete(tx, room.id, this.now()));
  }

  async updateRoom(token: string, changes: { name?: string; description?: string | null; image?: { base64: string; filename: string | null } }): Promise<number> {
    const room = await this.room(token);
    return this.db.transaction(async (tx) => {
      const now = this.now();
      const { image: imageFile, ...text } = changes;
      const image = imageFile
        ? await this.files.add(tx, { room: room.id, uploader: null, data: Buffer.from(imageFile.base64, 'base64'), filename: imageFile.filename, uploaded: now, expiry: null })
        : undefined;
      return this.rooms.update(tx, room, { ...text, image }, now);
    });
  }

  /** tokens: room tokens, or ['*'] for every room; null = global. */
  private async targetRooms(scope: Scope): Promise<Room[] | null> {
    if (scope === null) return null;
    if (scope.length === 1 && scope[0] === '*') return this.rooms.all(this.db);
    const out: Room[] = [];
    for (const t of scope) out.push(await this.room(t));
    return out;
  }

  async addModerator(sessionId: string, scope: Scope, options?: { admin?: boolean; visible?: boolean | null } | null): Promise<void> {
    const id = checkSessionId(sessionId);
    const rooms = await this.targetRooms(scope);
    await this.db.transaction(async (tx) => {
      const user = await this.users.resolveTarget(tx, id, this.now());
      // Global moderators are hidden unless asked; room moderators are shown.
      const visible = options?.visible ?? rooms !== null;
      await this.moderation.changeRole(tx, user.id, rooms, { moderator: true, admin: options?.admin ? true : null }, { visible, demoteOnly: false });
    });
  }

  async removeModerator(sessionId: string, scope: Scope): Promise<void> {
    const id = checkSessionId(sessionId);
    const rooms = await this.targetRooms(scope);
    await this.db.transaction(async (tx) => {
      const user = await this.users.resolveTarget(tx, id, this.now());
      await this.moderation.changeRole(tx, user.id, rooms, { moderator: false, admin: false }, { visible: rooms !== null, demoteOnly: false });
      for (const room of rooms ?? []) await this.permissions.pruneEmptyOverride(tx, room.id, user.id);
    });
  }

  async listModerators(scope: Scope | 'all'): Promise<ModeratorEntry[]> {
    const rooms = scope === 'all' ? 'all' : await this.targetRooms(scope);
    const roles = await this.moderation.roles(this.db, rooms);
    return roles.map((r) => ({ sessionId: r.sessionId, role: r.admin ? 'admin' : 'moderator', room: r.room, visible: r.visible }));
  }

  async setPermissions(tokens: string[], flags: Permission[], value: boolean | null, users?: string[] | null): Promise<void> {
    for (const flag of flags) if (!PERMISSIONS.includes(flag)) throw new BadInput(`unknown permission: ${flag}`);
    const ids = (users ?? []).map(checkSessionId);
    if (!ids.length && value === null) throw new BadInput('room defaults cannot be cleared: add or remove them');
    const rooms = (await this.targetRooms(tokens))!;
    const values = Object.fromEntries(flags.map((f) => [f, value]));
    await this.db.transaction(async (tx) => {
      for (const room of rooms) {
        if (!ids.length) {
          await this.rooms.update(tx, room, { defaults: values as Record<Permission, boolean> }, this.now());
          continue;
        }
        for (const sid of ids) {
          const user = await this.users.resolveTarget(tx, sid, this.now());
          await this.permissions.setOverride(tx, room.id, user.id, values, false);
        }
      }
    });
  }

  async ban(sessionId: string, scope: Scope, timeoutSeconds?: number | null): Promise<void> {
    const id = checkSessionId(sessionId);
    if (timeoutSeconds != null && !(timeoutSeconds > 0)) throw new BadInput('a ban timeout is a positive number of seconds');
    const rooms = await this.targetRooms(scope);
    await this.db.transaction(async (tx) => {
      const user = await this.users.resolveTarget(tx, id, this.now());
      const unbanAt = timeoutSeconds != null ? this.now() + timeoutSeconds : null;
      if (rooms === null) return this.moderation.banGlobally(tx, user.id, unbanAt);
      for (const room of rooms) await this.moderation.banInRoom(tx, room.id, user.id, unbanAt);
    });
  }

  async unban(sessionId: string, scope: Scope): Promise<void> {
    const id = checkSessionId(sessionId);
    const rooms = await this.targetRooms(scope);
    await this.db.transaction(async (tx) => {
      const user = await this.users.resolveTarget(tx, id, this.now());
      await this.moderation.unban(tx, user.id, rooms);
    });
  }

  async listBans(scope: Scope | 'all'): Promise<BanEntry[]> {
    return this.moderation.bans(this.db, scope === 'all' ? 'all' : await this.targetRooms(scope));
  }

  private async summary(room: Room): Promise<RoomSummary> {
    const counts = await this.rooms.contentCounts(this.db, room.id);
    const mods = await this.rooms.moderators(this.db, room.id);
    return {
      token: room.token,
      name: room.name,
      description: room.description,
      joinUrl: joinUrl(typeof this.options.baseUrl === 'string' ? this.options.baseUrl : this.options.baseUrl(), room.token, this.options.serverPk),
      created: room.created,
      messages: counts.messages,
      files: counts.files,
      activeUsers: room.activeUsers,
      infoUpdates: room.infoUpdates,
      messageSequence: room.messageSequence,
      defaults: { ...room.defaults },
      moderators: mods.mods,
      admins: mods.admins,
      hiddenModerators: mods.hiddenMods,
      hiddenAdmins: mods.hiddenAdmins,
    };
  }
}

const migrationName = (m: { version: number; name: string }) => `${String(m.version).padStart(4, '0')}_${m.name}`;
