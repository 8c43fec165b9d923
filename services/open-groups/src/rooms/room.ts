import { BadInput } from '../domain/errors';
import type { User } from '../users/user';

/** Room tokens: 1 to 64 characters of A-Z, a-z, 0-9, _ and - (compared without case). */
export const ROOM_TOKEN_RE = /^[A-Za-z0-9_-]{1,64}$/;

/** Why `token` cannot name a room, or undefined. */
export function roomTokenProblem(token: string): string | undefined {
  if (ROOM_TOKEN_RE.test(token)) return undefined;
  return `invalid room token ${JSON.stringify(token)}: use 1 to 64 characters from A-Z, a-z, 0-9, _ and -`;
}

export function checkRoomToken(token: string): void {
  const problem = roomTokenProblem(token);
  if (problem) throw new BadInput(problem);
}

export interface RoomDefaults {
  read: boolean;
  accessible: boolean;
  write: boolean;
  upload: boolean;
}

export interface Room {
  id: number;
  token: string;
  name: string;
  description: string | null;
  imageId: number | null;
  created: number;
  messageSequence: number;
  infoUpdates: number;
  activeUsers: number;
  defaults: RoomDefaults;
}

/** A user's room-level override row (all null/false when there is none). */
export interface Override {
  banned: boolean;
  read: boolean | null;
  accessible: boolean | null;
  write: boolean | null;
  upload: boolean | null;
  moderator: boolean;
  admin: boolean;
  visibleMod: boolean;
}

/** What one caller may do in one room, after defaults, overrides, bans and global roles. */
export interface Access {
  read: boolean;
  accessible: boolean;
  write: boolean;
  /** upload AND write, as upstream reports it. */
  upload: boolean;
  banned: boolean;
  moderator: boolean;
  admin: boolean;
  globalModerator: boolean;
  globalAdmin: boolean;
}

export const ROOM_COLUMNS =
  'r.id, r.token, r.name, r.description, r.image, r.created, r.message_sequence, r.info_updates, r.active_users, r.read, r.accessible, r.write, r.upload';

export interface RoomRow {
  id: string;
  token: string;
  name: string;
  description: string | null;
  image: string | null;
  created: number;
  message_sequence: string;
  info_updates: string;
  active_users: string;
  read: boolean;
  accessible: boolean;
  write: boolean;
  upload: boolean;
}

export function roomFromRow(row: RoomRow): Room {
  return {
    id: Number(row.id),
    token: row.token,
    name: row.name,
    description: row.description,
    imageId: row.image === null ? null : Number(row.image),
    created: Number(row.created),
    messageSequence: Number(row.message_sequence),
    infoUpdates: Number(row.info_updates),
    activeUsers: Number(row.active_users),
    defaults: { read: row.read, accessible: row.accessible, write: row.write, upload: row.upload },
  };
}

export const NO_OVERRIDE: Override = {
  banned: false,
  read: null,
  accessible: null,
  write: null,
  upload: null,
  moderator: false,
  admin: false,
  visibleMod: true,
};

/** Upstream's check_permission: admin > moderator > (not banned AND override ?? default). */
export function resolveAccess(room: Room, user: User | null, o: Override): Access {
  const globalAdmin = !!user?.admin;
  const globalModerator = !!user?.moderator || globalAdmin;
  const admin = globalAdmin || (!!user && o.admin);
  const moderator = admin || globalModerator || (!!user && o.moderator);
  if (moderator) {
    return { read: true, accessible: true, write: true, upload: true, banned: false, moderator, admin, globalModerator, globalAdmin };
  }
  const banned = !!user && (o.banned || user.banned);
  const flag = (value: boolean | null, dflt: boolean) => !banned && (user ? (value ?? dflt) : dflt);
  const read = flag(o.read, room.defaults.read);
  const write = flag(o.write, room.defaults.write);
  const upload = flag(o.upload, room.defaults.upload) && write;
  const accessible = flag(o.accessible, room.defaults.accessible) || read;
  return { read, accessible, write, upload, banned, moderator: false, admin: false, globalModerator: false, globalAdmin: false };
}
