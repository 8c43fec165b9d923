// GET /inbox[/since/:id], GET /outbox[/since/:id], POST /inbox/:sid, DELETE /inbox (§1.11).
import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { DATABASE, jsonReply, type Database, type Reply } from '@starling/platform';
import { NotFound } from '../domain/errors';
import { base64Field, intParam, jsonObject } from '../http/params';
import { Router, type RouteContext } from '../http/router';
import { CLOCK, SETTINGS, type Clock, type ServerSettings } from '../settings';
import { UsersModel } from '../users/users.model';
import { DmsModel } from './dms.model';

@Injectable()
export class DmRoutes implements OnModuleInit {
  constructor(
    private readonly router: Router,
    @Inject(DATABASE) private readonly db: Database,
    private readonly users: UsersModel,
    private readonly dms: DmsModel,
    @Inject(SETTINGS) private readonly settings: ServerSettings,
    @Inject(CLOCK) private readonly now: Clock,
  ) {}

  private list(box: 'inbox' | 'outbox', withSince: boolean) {
    return async ({ user, params, query }: RouteContext): Promise<Reply> => {
      const limit = intParam(query, 'limit', 100, 1, 256);
      const since = withSince ? Number(params.id) : 0;
      const messages = await this.dms.list(this.db, box, user!.id, since, limit, this.now());
      // "Nothing new" is 304 with an empty body for the /since variants.
      if (withSince && messages.length === 0) return { status: 304, headers: {}, body: Buffer.alloc(0) };
      return jsonReply(
        200,
        messages.map((m) => ({
          id: m.id,
          posted_at: m.postedAt,
          expires_at: m.expiresAt,
          sender: m.sender,
          recipient: m.recipient,
          message: m.body.toString('base64'),
        })),
      );
    };
  }

  onModuleInit(): void {
    const { db, dms } = this;
    this.router.add(
      { method: 'GET', pattern: '/inbox', auth: 'blinded', handler: this.list('inbox', false) },
      { method: 'GET', pattern: '/inbox/since/<id:int>', auth: 'blinded', handler: this.list('inbox', true) },
      { method: 'GET', pattern: '/outbox', auth: 'blinded', handler: this.list('outbox', false) },
      { method: 'GET', pattern: '/outbox/since/<id:int>', auth: 'blinded', handler: this.list('outbox', true) },
      {
        method: 'POST',
        pattern: '/inbox/<sid:blindsid>',
        auth: 'user',
        handler: async ({ user, params, req }) => {
          const message = base64Field(jsonObject(req).message, 'message');
          const recipient = await this.users.find(db, params.sid);
          if (!recipient || recipient.banned) throw new NotFound('No such user');
          const now = this.now();
          const expiresAt = now + this.settings.dmExpirySeconds;
          const id = await dms.send(db, recipient.id, user!.id, message, now, expiresAt);
          return jsonReply(201, { id, posted_at: now, expires_at: expiresAt, sender: user!.sessionId, recipient: recipient.sessionId });
        },
      },
      {
        method: 'DELETE',
        pattern: '/inbox',
        auth: 'blinded',
        handler: async ({ user }) => jsonReply(200, { deleted: await dms.clearInbox(db, user!.id) }),
      },
    );
  }
}
