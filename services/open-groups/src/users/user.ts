/** A session id as ids are stored: 05 (unblinded), 15 or 25 (blinded), 64 more hex digits, lower case. */
export const SESSION_ID_RE = /^(05|15|25)[0-9a-f]{64}$/;

/** A user row: one per id that ever authenticated or was targeted by an admin. */
export interface User {
  id: number;
  /** Full prefixed id: 05 (unblinded), 15/25 (blinded), ff (the server's own system user). */
  sessionId: string;
  banned: boolean;
  moderator: boolean;
  admin: boolean;
  visibleMod: boolean;
}

export interface UserRow {
  id: string;
  session_id: string;
  banned: boolean;
  moderator: boolean;
  admin: boolean;
  visible_mod: boolean;
}

export function userFromRow(row: UserRow): User {
  return {
    id: Number(row.id),
    sessionId: row.session_id,
    banned: row.banned,
    moderator: row.moderator,
    admin: row.admin,
    visibleMod: row.visible_mod,
  };
}

export const USER_COLUMNS = 'id, session_id, banned, moderator, admin, visible_mod';
