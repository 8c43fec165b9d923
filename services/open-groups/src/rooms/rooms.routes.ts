// GET /rooms, GET and PUT /room/:token, GET /room/:token/pollInfo/:info_updates (§1.3, §1.4).
import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { DATABASE, jsonReply, type Database } from '@starling/platform';
import { BadInput } from '../domain/errors';
import { jsonObject } from '../http/params';
import { Router } from '../http/router';
import { CLOCK, type Clock } from '../settings';
import type { RoomDefaults } from './room';
import { RoomsModel, type RoomChanges } from './rooms.model';

// Control characters are stripped from names; descriptions keep tab and newline.
const stripName = (s: string) => s.replace(/[\u0000-\u001f]/g, '');
const stripDescription = (s: string) => s.replace(/[\u0000-\u0008\u000b-\u001f]/g, '');

/** The changes a PUT /room/:token body asks for. */
export function roomChanges(body: Record<string, unknown>): RoomChanges {
  const changes: RoomChanges = {};
  if ('name' in body) {
    if (typeof body.name !== 'string') throw new BadInput('name must be a string');
    changes.name = stripName(body.name);
  }
  if ('description' in body) {
    const d = body.description;
    if (d !== null && typeof d !== 'string') throw new BadInput('description must be a string or null');
    const clean = d === null ? null : stripDescription(d);
    changes.description = clean === '' ? null : clean;
  }
  const defaults: Partial<RoomDefaults> = {};
  for (const perm of ['read', 'accessible', 'write', 'upload'] as const) {
    const v = body[`default_${perm}`];
    if (v === undefined || v === null) continue;
    if (typeof v !== 'boolean' && !(typeof v === 'number' && Number.isInteger(v))) throw new BadInput(`default_${perm} must be a boolean`);
    defaults[perm] = !!v;
  }
  if (Object.keys(defaults).length) changes.defaults = defaults;
  if ('image' in body) {
    if (typeof body.image !== 'number' || !Number.isSafeInteger(body.image)) throw new BadInput('image must be a file id');
    changes.image = body.image;
  }
  if (Object.keys(changes).length === 0) throw new BadInput('Room update: nothing to update');
  return changes;
}

@Injectable()
export class RoomRoutes implements OnModuleInit {
  constructor(
    private readonly router: Router,
    @Inject(DATABASE) private readonly db: Database,
    private readonly rooms: RoomsModel,
    @Inject(CLOCK) private readonly now: Clock,
  ) {}

  onModuleInit(): void {
    const { db, rooms } = this;
    this.router.add(
      {
        method: 'GET',
        pattern: '/rooms',
        handler: async ({ user }) => {
          const accessible = await rooms.listAccessible(db, user);
          const out = [];
          for (const r of accessible) out.push(await rooms.roomObject(db, r));
          return jsonReply(200, out);
        },
      },
      {
        method: 'GET',
        pattern: '/room/<token:token>',
        readsRoom: true,
        handler: async ({ user, params, prefetchedRoom }) => jsonReply(200, await rooms.roomObject(db, await rooms.get(db, params.token, user, prefetchedRoom))),
      },
      {
        method: 'PUT',
        pattern: '/room/<token:token>',
        auth: 'user',
        handler: async ({ user, params, req }) => {
          const found = await rooms.getFor(db, params.token, user, 'admin');
          const changes = roomChanges(jsonObject(req));
          const now = this.now();
          const infoUpdates = await db.transaction((tx) => rooms.update(tx, found.room, changes, now));
          return jsonReply(200, { info_updates: infoUpdates });
        },
      },
      {
        method: 'GET',
        pattern: '/room/<token:token>/pollInfo/<info_updates:int>',
        readsRoom: true,
        handler: async ({ user, params, prefetchedRoom }) => {
          const found = await rooms.getFor(db, params.token, user, 'read', prefetchedRoom);
          await rooms.recordActivity(db, found.room.id, user, this.now());
          const { room, access } = found;
          const out: Record<string, unknown> = {
            token: room.token,
            active_users: room.activeUsers,
            read: access.read,
            write: access.write,
            upload: access.upload,
            ...rooms.roleFlags(room, access),
          };
          if (room.infoUpdates !== Number(params.info_updates)) out.details = await rooms.roomObject(db, found);
          return jsonReply(200, out);
        },
      },
    );
  }
}
