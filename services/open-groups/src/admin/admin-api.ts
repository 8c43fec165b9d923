// What the operator's command line can do, as one interface with two ends: AdminOperations runs
// it on a database the command line opened itself, AdminSocketClient asks the running server to
// run it (the embedded database has room for one process only). Arguments and results are plain
// JSON, so that they cross the socket as they are (an argument left out arrives as null, which
// means the same).
import type { Permission } from '../moderation/permissions.model';

/** Room tokens, ['*'] for every room, or null for the whole server. */
export type Scope = string[] | null;

export interface RoomSummary {
  token: string;
  name: string;
  description: string | null;
  joinUrl: string;
  created: number;
  messages: number;
  files: number;
  activeUsers: number;
  infoUpdates: number;
  messageSequence: number;
  defaults: Record<Permission, boolean>;
  /** Room and global moderators and admins, as the room's details show them (visible and hidden). */
  moderators: string[];
  admins: string[];
  hiddenModerators: string[];
  hiddenAdmins: string[];
}

export interface RoomDetails extends RoomSummary {
  image: { id: number; size: number; filename: string | null } | null;
  pinnedMessages: number;
  bans: number;
}

export interface ModeratorEntry {
  sessionId: string;
  role: 'admin' | 'moderator';
  /** A room token, or null for a global role. */
  room: string | null;
  visible: boolean;
}

export interface BanEntry {
  sessionId: string;
  /** A room token, or null for a global ban. */
  room: string | null;
  /** When a timed ban ends (unix seconds), null when it does not. */
  until: number | null;
}

export interface SchemaState {
  /** Migrations not applied yet ("0002_room_details_updates"). */
  pending: string[];
}

export interface AdminApi {
  schema(): Promise<SchemaState>;
  /** Applies pending migrations; returns their names. */
  upgrade(): Promise<string[]>;
  listRooms(): Promise<RoomSummary[]>;
  showRoom(token: string): Promise<RoomDetails>;
  addRoom(token: string, name?: string | null, description?: string | null): Promise<RoomSummary>;
  deleteRoom(token: string): Promise<void>;
  /** Name, description (null removes it) or image (base64 bytes and a file name); returns info_updates. */
  updateRoom(token: string, changes: { name?: string; description?: string | null; image?: { base64: string; filename: string | null } }): Promise<number>;
  /** `visible` defaults to true for rooms, false for a global role (as upstream). */
  addModerator(sessionId: string, scope: Scope, options?: { admin?: boolean; visible?: boolean | null }): Promise<void>;
  removeModerator(sessionId: string, scope: Scope): Promise<void>;
  /** Global roles and each room's own roles; `scope` narrows to some rooms, or to global roles only (null). */
  listModerators(scope: Scope | 'all'): Promise<ModeratorEntry[]>;
  /** Room defaults (no users) or users' overrides: true/false, or null to go back to the default. */
  setPermissions(tokens: string[], flags: Permission[], value: boolean | null, users?: string[]): Promise<void>;
  ban(sessionId: string, scope: Scope, timeoutSeconds?: number | null): Promise<void>;
  unban(sessionId: string, scope: Scope): Promise<void>;
  listBans(scope: Scope | 'all'): Promise<BanEntry[]>;
}

/** The operations, by name: what the socket accepts. */
export const ADMIN_OPERATIONS = [
  'schema',
  'upgrade',
  'listRooms',
  'showRoom',
  'addRoom',
  'deleteRoom',
  'updateRoom',
  'addModerator',
  'removeModerator',
  'listModerators',
  'setPermissions',
  'ban',
  'unban',
  'listBans',
] as const satisfies readonly (keyof AdminApi)[];

export type AdminOperation = (typeof ADMIN_OPERATIONS)[number];

// Every operation of AdminApi is in the list (a compile error otherwise).
const EVERY_OPERATION_LISTED: [Exclude<keyof AdminApi, AdminOperation>] extends [never] ? true : false = true;
void EVERY_OPERATION_LISTED;
