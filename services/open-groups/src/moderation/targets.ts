// Which rooms a /user/:sid/... request applies to: `rooms` (tokens or ["*"]) xor `global: true`.
import type { AppContext } from '../context';
import { badRequest, forbidden, notFound } from '../http/errors';
import type { RoomWithAccess } from '../rooms/rooms.service';
import type { User } from '../users/user';

export type Scope = { global: true } | { global: false; rooms: RoomWithAccess[] };

export async function resolveScope(
  ctx: AppContext,
  body: Record<string, unknown>,
  caller: User,
  needs: 'moderator' | 'admin',
): Promise<Scope> {
  const hasRooms = body.rooms !== undefined && body.rooms !== null;
  const global = body.global === true;
  if (hasRooms === global) throw badRequest('Exactly one of "rooms" or "global" is required');
  if (global) {
    const allowed = needs === 'admin' ? caller.admin : caller.moderator;
    if (!allowed) throw forbidden(`This endpoint requires global ${needs} permissions`);
    return { global: true };
  }
  const tokens = body.rooms;
  if (!Array.isArray(tokens) || tokens.length === 0 || !tokens.every((t) => typeof t === 'string')) {
    throw badRequest('"rooms" must be a non-empty array of room tokens');
  }
  const has = (r: RoomWithAccess) => (needs === 'admin' ? r.access.admin : r.access.moderator);
  if (tokens.includes('*')) {
    if (tokens.length !== 1) throw badRequest('"*" must be the only room');
    const rooms = (await ctx.rooms.listAccessible(ctx.db, caller)).filter(has);
    return { global: false, rooms };
  }
  const rooms: RoomWithAccess[] = [];
  for (const token of tokens as string[]) {
    const found = await ctx.rooms.find(ctx.db, token, caller);
    if (!found) throw notFound(`No such room: ${token}`);
    if (!has(found)) throw forbidden(`This endpoint requires ${needs} permissions in every room`);
    rooms.push(found);
  }
  return { global: false, rooms };
}
