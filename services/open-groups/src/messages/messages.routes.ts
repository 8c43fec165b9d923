// Message reads (since/recent/before/single), post, edit, delete and delete-all (§1.5).
import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { DATABASE, jsonReply, type Database } from '@starling/platform';
import { BadInput, Forbidden, NotFound } from '../domain/errors';
import { base64Field, intParam, jsonObject, optionalBool, sessionIdField } from '../http/params';
import { Router, type RouteContext } from '../http/router';
import { OpenGroupsMetrics } from '../ops/metrics';
import { RoomsModel, type RoomWithAccess } from '../rooms/rooms.model';
import { CLOCK, type Clock } from '../settings';
import type { User } from '../users/user';
import { UsersModel } from '../users/users.model';
import { MessagesModel } from './messages.model';

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
  if (!Array.isArray(value) || !value.every((v) => Number.isSafeInteger(v))) throw new BadInput('files must be an array of file ids');
  return value as number[];
}

function postInput(body: Record<string, unknown>) {
  return {
    data: base64Field(body.data, 'data'),
    signature: base64Field(body.signature, 'signature', 64),
    files: fileIds(body.files),
  };
}

@Injectable()
export class MessageRoutes implements OnModuleInit {
  constructor(
    private readonly router: Router,
    @Inject(DATABASE) private readonly db: Database,
    private readonly rooms: RoomsModel,
    private readonly users: UsersModel,
    private readonly messages: MessagesModel,
    private readonly metrics: OpenGroupsMetrics,
    @Inject(CLOCK) private readonly now: Clock,
  ) {}

  /** The room, readable by the caller, with the read recorded as room activity. */
  private async readable({ user, params, prefetchedRoom }: RouteContext): Promise<RoomWithAccess> {
    const found = await this.rooms.getFor(this.db, params.token, user, 'read', prefetchedRoom);
    await this.rooms.recordActivity(this.db, found.room.id, user, this.now());
    return found;
  }

  onModuleInit(): void {
    const { db, rooms, users, messages } = this;
    this.router.add(
      {
        method: 'GET',
        pattern: '/room/<token:token>/messages/since/<seqno:int>',
        readsRoom: true,
        handler: async (rc) => {
          const { room, access } = await this.readable(rc);
          const flags = rc.query.get('t') ?? '';
          const rows = await messages.since(room, { user: rc.user, access }, Number(rc.params.seqno), flags.includes('r'), readOptions(rc.query));
          return jsonReply(200, rows);
        },
      },
      {
        method: 'GET',
        pattern: '/room/<token:token>/messages/recent',
        readsRoom: true,
        handler: async (rc) => {
          const { room, access } = await this.readable(rc);
          return jsonReply(200, await messages.recent(db, room, { user: rc.user, access }, readOptions(rc.query)));
        },
      },
      {
        method: 'GET',
        pattern: '/room/<token:token>/messages/before/<id:int>',
        readsRoom: true,
        handler: async (rc) => {
          const { room, access } = await this.readable(rc);
          return jsonReply(200, await messages.recent(db, room, { user: rc.user, access }, readOptions(rc.query), Number(rc.params.id)));
        },
      },
      {
        method: 'GET',
        pattern: '/room/<token:token>/message/<id:int>',
        readsRoom: true,
        handler: async (rc) => {
          const { room, access } = await this.readable(rc);
          const reactors = intParam(rc.query, 'reactors', 4, 0, 20);
          return jsonReply(200, await messages.single(db, room, { user: rc.user, access }, Number(rc.params.id), reactors));
        },
      },
      {
        method: 'POST',
        pattern: '/room/<token:token>/message',
        auth: 'user',
        handler: async ({ user, params, req }) => {
          const { room, access } = await rooms.getToWrite(db, params.token, user);
          const body = jsonObject(req);
          const input = postInput(body);
          let whisperTo: User | undefined;
          if (body.whisper_to !== undefined && body.whisper_to !== null) {
            if (!access.moderator) throw new Forbidden('Only moderators may send whispers');
            whisperTo = await users.resolveTarget(db, sessionIdField(body.whisper_to, 'whisper_to'), this.now());
          }
          const whisperMods = optionalBool(body.whisper_mods, 'whisper_mods') ?? false;
          const msg = await messages.post(db, room, user!, access, { ...input, whisperTo, whisperMods }, this.now());
          this.metrics.messagesPosted.inc();
          return jsonReply(201, msg);
        },
      },
      {
        method: 'PUT',
        pattern: '/room/<token:token>/message/<id:int>',
        auth: 'user',
        handler: async ({ user, params, req }) => {
          const { room, access } = await rooms.getToWrite(db, params.token, user);
          await messages.edit(db, room, user!, access, Number(params.id), postInput(jsonObject(req)), this.now());
          return jsonReply(200, {});
        },
      },
      {
        method: 'DELETE',
        pattern: '/room/<token:token>/message/<id:int>',
        auth: 'user',
        handler: async ({ user, params }) => {
          const { room, access } = await rooms.getToWrite(db, params.token, user);
          await messages.delete(db, room, user!, access, Number(params.id), this.now());
          return jsonReply(200, {});
        },
      },
      {
        method: 'DELETE',
        pattern: '/room/<token:token>/all/<sid:anysid>',
        auth: 'user',
        handler: async ({ user, params }) => {
          const found = await rooms.get(db, params.token, user);
          const deleted = await this.deleteAllIn(found, user!, params.sid);
          if (deleted === null) throw new Forbidden('Permission denied');
          if (deleted === 0) throw new NotFound('No posts deleted');
          return jsonReply(200, {});
        },
      },
      {
        method: 'DELETE',
        pattern: '/rooms/all/<sid:anysid>',
        auth: 'user',
        handler: async ({ user, params }) => {
          const accessible = await rooms.listAccessible(db, user);
          const counts: Record<string, number> = {};
          let total = 0;
          for (const found of accessible) {
            const deleted = await this.deleteAllIn(found, user!, params.sid);
            if (deleted) {
              counts[found.room.token] = deleted;
              total += deleted;
            }
          }
          return jsonReply(200, { total, rooms: counts });
        },
      },
    );
  }

  /**
   * Deletes all posts of `sid` in one room when the caller may: themselves, or a moderator (an
   * admin to remove an admin's posts). Null when not permitted.
   */
  private async deleteAllIn(found: RoomWithAccess, caller: User, sid: string): Promise<number | null> {
    const { db, rooms, messages } = this;
    const target = await this.users.find(db, sid);
    const isSelf = sid === caller.sessionId;
    if (!isSelf && !found.access.moderator) return null;
    if (!target) return 0;
    if (!isSelf) {
      const targetAccess = await rooms.find(db, found.room.token, target);
      if (targetAccess?.access.admin && !found.access.admin) return null;
    }
    return db.transaction((tx) => messages.deleteAllBy(tx, found.room.id, target.id, this.now()));
  }
}
