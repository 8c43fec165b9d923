// Which rooms a /user/:sid/... request applies to: `rooms` (tokens or ["*"]) xor `global: true`,
// checked against the caller's own role there.
import type { Queryable } from '@starling/platform';
import { BadInput, Forbidden, NotFound } from '../domain/errors';
import type { RoomsModel, RoomWithAccess } from '../rooms/rooms.model';
import type { User } from '../users/user';

export type Scope = { global: true } | { global: false; rooms: RoomWithAccess[] };

export async function resolveScope(
  rooms: RoomsModel,
  q: Queryable,
  body: Record<string, unknown>,
  caller: User,
  needs: 'moderator' | 'admin',
): Promise<Scope> {
  const hasRooms = body.rooms !== undefined && body.rooms !== null;
  const global = body.global === true;
  if (hasRooms === global) throw new BadInput('Exactly one of "rooms" or "global" is required');
  if (global) {
    const allowed = needs === 'admin' ? caller.admin : caller.moderator;
    if (!allowed) throw new Forbidden(`This endpoint requires global ${needs} permissions`);
    return { global: true };
  }
  const tokens = body.rooms;
  if (!Array.isArray(tokens) || tokens.length === 0 || !tokens.every((t) => typeof t === 'string')) {
    throw new BadInput('"rooms" must be a non-empty array of room tokens');
  }
  const has = (r: RoomWithAccess) => (needs === 'admin' ? r.access.admin : r.access.moderator);
  if (tokens.includes('*')) {
    if (tokens.length !== 1) throw new BadInput('"*" must be the only room');
    return { global: false, rooms: (await rooms.listAccessible(q, caller)).filter(has) };
  }
  const found: RoomWithAccess[] = [];
  for (const token of tokens as string[]) {
    const room = await rooms.find(q, token, caller);
    if (!room) throw new NotFound(`No such room: ${token}`);
    if (!has(room)) throw new Forbidden(`This endpoint requires ${needs} permissions in every room`);
    found.push(room);
  }
  return { global: false, rooms: found };
}

/** The rooms of a scope as the models take them (null: global). */
export function scopeRooms(scope: Scope): { id: number; token: string }[] | null {
  return scope.global ? null : scope.rooms.map(({ room }) => room);
}
