// Per-user room permission overrides and scheduled changes (§1.9): GET/POST
// /room/:token/permissions[/:sid] and /room/:token/futurePermissions[/:sid]. Moderators only.
import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { DATABASE, jsonReply, type Database } from '@starling/platform';
import { BadInput } from '../domain/errors';
import { jsonObject, optionalBool } from '../http/params';
import { Router, type RouteContext } from '../http/router';
import type { Room } from '../rooms/room';
import { RoomsModel } from '../rooms/rooms.model';
import { CLOCK, type Clock } from '../settings';
import { UsersModel } from '../users/users.model';
import { FUTURE_PERMISSIONS, PERMISSIONS, PermissionsModel, type FuturePermission, type PermissionValues } from './permissions.model';

const MAX_FUTURE_SECONDS = 1e9;

/** The values a POST permissions body sets: `p: bool` overrides, `default_p: true` resets. */
export function permissionValues(body: Record<string, unknown>): PermissionValues {
  const values: PermissionValues = {};
  for (const p of PERMISSIONS) {
    const value = optionalBool(body[p], p);
    const clear = optionalBool(body[`default_${p}`], `default_${p}`);
    if (value !== undefined && clear) throw new BadInput(`Cannot both set ${p} and reset it to the default`);
    if (value !== undefined) values[p] = value;
    else if (clear) values[p] = null;
  }
  return values;
}

@Injectable()
export class PermissionRoutes implements OnModuleInit {
  constructor(
    private readonly router: Router,
    @Inject(DATABASE) private readonly db: Database,
    private readonly rooms: RoomsModel,
    private readonly users: UsersModel,
    private readonly permissions: PermissionsModel,
    @Inject(CLOCK) private readonly now: Clock,
  ) {}

  private async modRoom({ user, params }: RouteContext): Promise<Room> {
    return (await this.rooms.getFor(this.db, params.token, user, 'moderator')).room;
  }

  onModuleInit(): void {
    const { db, users, permissions } = this;
    this.router.add(
      {
        method: 'GET',
        pattern: '/room/<token:token>/permissions',
        auth: 'user',
        handler: async (rc) => jsonReply(200, await permissions.overrides(db, (await this.modRoom(rc)).id)),
      },
      {
        method: 'GET',
        pattern: '/room/<token:token>/permissions/<sid:anysid>',
        auth: 'user',
        handler: async (rc) => {
          const room = await this.modRoom(rc);
          const target = await users.resolveTarget(db, rc.params.sid, this.now());
          return jsonReply(200, await permissions.override(db, room.id, target.id));
        },
      },
      {
        method: 'POST',
        pattern: '/room/<token:token>/permissions/<sid:anysid>',
        auth: 'user',
        handler: async (rc) => {
          const room = await this.modRoom(rc);
          const body = jsonObject(rc.req);
          const values = permissionValues(body);
          const unschedule = body.unschedule !== false;
          const view = await db.transaction(async (tx) => {
            const target = await users.resolveTarget(tx, rc.params.sid, this.now());
            await permissions.setOverride(tx, room.id, target.id, values, unschedule);
            return permissions.override(tx, room.id, target.id);
          });
          return jsonReply(200, view);
        },
      },
      {
        method: 'GET',
        pattern: '/room/<token:token>/futurePermissions',
        auth: 'user',
        handler: async (rc) => jsonReply(200, await permissions.futures(db, (await this.modRoom(rc)).id, null)),
      },
      {
        method: 'GET',
        pattern: '/room/<token:token>/futurePermissions/<sid:anysid>',
        auth: 'user',
        handler: async (rc) => {
          const room = await this.modRoom(rc);
          const target = await users.resolveTarget(db, rc.params.sid, this.now());
          return jsonReply(200, await permissions.futures(db, room.id, target.id));
        },
      },
      {
        method: 'POST',
        pattern: '/room/<token:token>/futurePermissions/<sid:anysid>',
        auth: 'user',
        handler: async (rc) => {
          const room = await this.modRoom(rc);
          const body = jsonObject(rc.req);
          const values = Object.fromEntries(FUTURE_PERMISSIONS.map((p) => [p, optionalBool(body[p], p) ?? null])) as Record<FuturePermission, boolean | null>;
          if (Object.values(values).every((v) => v === null)) throw new BadInput('At least one of read, write, upload is required');
          const delay = body.in;
          if (typeof delay !== 'number' || !(delay > 0 && delay < MAX_FUTURE_SECONDS)) throw new BadInput('"in" must be a number of seconds between 0 and 1e9');
          const list = await db.transaction(async (tx) => {
            const target = await users.resolveTarget(tx, rc.params.sid, this.now());
            await permissions.schedule(tx, room.id, target.id, this.now() + delay, values);
            return permissions.futures(tx, room.id, target.id);
          });
          return jsonReply(200, list);
        },
      },
    );
  }
}
