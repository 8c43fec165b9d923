// Message reads (since/recent/before/single), post, edit, delete and delete-all (§1.5).
import type { AppContext } from '../context';
import { badRequest, forbidden, notFound } from '../http/errors';
import { base64Field, intParam, jsonObject, optionalBool, sessionIdField } from '../http/params';
import type { RouteContext, RouteDef } from '../http/router';
import { jsonResponse } from '../http/types';
import type { RoomWithAccess } from '../rooms/rooms.service';
import type { User } from '../users/user';

export const DEFAULT_LIMIT = 100;
export const MAX_LIMIT = 256;

function readOptions(query: URLSearchParams) {
  return {
    limit: intParam(query, 'limit', DEFAULT_LIMIT, 1, MAX_LIMIT),
    reactors: intParam(query, 'reactors', 4, 0, 20),
  };
}

function fileIds(value: unknown): number[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || !value.every((v) => Number.isSafeInteger(v))) throw badRequest('files must be an array of file ids');
  return value as number[];
}

export function messageRoutes(ctx: AppContext): RouteDef[] {
  /** The room, readable by the caller, with the read recorded as room activity. */
  const readable = async ({ user, params, prefetchedRoom }: RouteContext): Promise<RoomWithAccess> => {
    const found = await ctx.rooms.get(ctx.db, params.token, user, prefetchedRoom);
    if (!found.access.read) throw forbidden('You do not have permission to read this room');
    await ctx.rooms.recordActivity(ctx.db, found.room.id, user, ctx.now());
    return found;
  };

  const postInput = (body: Record<string, unknown>) => ({
    data: base64Field(body.data, 'data'),
    signature: base64Field(body.signature, 'signature', 64),
    files: fileIds(body.files),
  });

  return [
    {
      method: 'GET',
      pattern: '/room/<token:token>/messages/since/<seqno:int>',
      readsRoom: true,
      handler: async (rc) => {
        const { room, access } = await readable(rc);
        const flags = rc.query.get('t') ?? '';
        const rows = await ctx.messages.since(room, { user: rc.user, access }, Number(rc.params.seqno), flags.includes('r'), readOptions(rc.query));
        return jsonResponse(rows);
      },
    },
    {
      method: 'GET',
      pattern: '/room/<token:token>/messages/recent',
      readsRoom: true,
      handler: async (rc) => {
        const { room, access } = await readable(rc);
        return jsonResponse(await ctx.messages.recent(ctx.db, room, { user: rc.user, access }, readOptions(rc.query)));
      },
    },
    {
      method: 'GET',
      pattern: '/room/<token:token>/messages/before/<id:int>',
      readsRoom: true,
      handler: async (rc) => {
        const { room, access } = await readable(rc);
        return jsonResponse(await ctx.messages.recent(ctx.db, room, { user: rc.user, access }, readOptions(rc.query), Number(rc.params.id)));
      },
    },
    {
      method: 'GET',
      pattern: '/room/<token:token>/message/<id:int>',
      readsRoom: true,
      handler: async (rc) => {
        const { room, access } = await readable(rc);
        const reactors = intParam(rc.query, 'reactors', 4, 0, 20);
        return jsonResponse(await ctx.messages.single(ctx.db, room, { user: rc.user, access }, Number(rc.params.id), reactors));
      },
    },
    {
      method: 'POST',
      pattern: '/room/<token:token>/message',
      auth: 'user',
      handler: async ({ user, params, req }) => {
        const { room, access } = await ctx.rooms.get(ctx.db, params.token, user);
        const body = jsonObject(req);
        const input = postInput(body);
        let whisperTo: User | undefined;
        if (body.whisper_to !== undefined && body.whisper_to !== null) {
          if (!access.moderator) throw forbidden('Only moderators may send whispers');
          whisperTo = await ctx.users.resolveTarget(ctx.db, sessionIdField(body.whisper_to, 'whisper_to'), ctx.now());
        }
        const whisperMods = optionalBool(body.whisper_mods, 'whisper_mods') ?? false;
        const msg = await ctx.messages.post(ctx.db, room, user!, access, { ...input, whisperTo, whisperMods }, ctx.now());
        ctx.metrics.messagesPosted.inc();
        return jsonResponse(msg, 201);
      },
    },
    {
      method: 'PUT',
      pattern: '/room/<token:token>/message/<id:int>',
      auth: 'user',
      handler: async ({ user, params, req }) => {
        const { room, access } = await ctx.rooms.get(ctx.db, params.token, user);
        await ctx.messages.edit(ctx.db, room, user!, access, Number(params.id), postInput(jsonObject(req)), ctx.now());
        return jsonResponse({});
      },
    },
    {
      method: 'DELETE',
      pattern: '/room/<token:token>/message/<id:int>',
      auth: 'user',
      handler: async ({ user, params }) => {
        const { room, access } = await ctx.rooms.get(ctx.db, params.token, user);
        await ctx.messages.delete(ctx.db, room, user!, access, Number(params.id), ctx.now());
        return jsonResponse({});
      },
    },
    {
      method: 'DELETE',
      pattern: '/room/<token:token>/all/<sid:anysid>',
      auth: 'user',
      handler: async ({ user, params }) => {
        const found = await ctx.rooms.get(ctx.db, params.token, user);
        const deleted = await deleteAllIn(ctx, found, user!, params.sid);
        if (deleted === null) throw forbidden('Permission denied');
        if (deleted === 0) throw notFound('No posts deleted');
        return jsonResponse({});
      },
    },
    {
      method: 'DELETE',
      pattern: '/rooms/all/<sid:anysid>',
      auth: 'user',
      handler: async ({ user, params }) => {
        const rooms = await ctx.rooms.listAccessible(ctx.db, user);
        const counts: Record<string, number> = {};
        let total = 0;
        for (const found of rooms) {
          const deleted = await deleteAllIn(ctx, found, user!, params.sid);
          if (deleted) {
            counts[found.room.token] = deleted;
            total += deleted;
          }
        }
        return jsonResponse({ total, rooms: counts });
      },
    },
  ];
}

/**
 * Deletes all posts of `sid` in one room when the caller may: themselves, or a moderator (an
 * admin to remove an admin's posts). Null when not permitted.
 */
async function deleteAllIn(ctx: AppContext, found: RoomWithAccess, caller: User, sid: string): Promise<number | null> {
  const target = await ctx.users.find(ctx.db, sid);
  const isSelf = sid === caller.sessionId;
  if (!isSelf && !found.access.moderator) return null;
  if (!target) return 0;
  if (!isSelf) {
    const targetAccess = await ctx.rooms.find(ctx.db, found.room.token, target);
    if (targetAccess?.access.admin && !found.access.admin) return null;
  }
  return ctx.db.transaction((tx) => ctx.messages.deleteAllBy(tx, found.room.id, target.id, ctx.now(), found.room.imageId));
}
