// Blinded direct messages (§1.11): opaque ciphertexts between blinded ids, kept for a while.
import type { AppContext } from '../context';
import { notFound } from '../http/errors';
import { base64Field, intParam, jsonObject } from '../http/params';
import type { RouteContext, RouteDef } from '../http/router';
import { jsonResponse, SogsResponse } from '../http/types';

interface DmRow {
  id: string;
  posted_at: number;
  expiry: number;
  sender: string;
  recipient: string;
  body: Buffer;
}

const header = (r: DmRow) => ({
  id: Number(r.id),
  posted_at: Number(r.posted_at),
  expires_at: Number(r.expiry),
  sender: r.sender,
  recipient: r.recipient,
});

export function dmRoutes(ctx: AppContext): RouteDef[] {
  const list = (box: 'inbox' | 'outbox', withSince: boolean) => async ({ user, params, query }: RouteContext): Promise<SogsResponse> => {
    const limit = intParam(query, 'limit', 100, 1, 256);
    const since = withSince ? Number(params.id) : 0;
    const mine = box === 'inbox' ? 'i.recipient' : 'i.sender';
    const res = await ctx.db.query<DmRow>(
      `SELECT i.id, i.posted_at, i.expiry, s.session_id AS sender, r.session_id AS recipient, i.body
         FROM inbox i JOIN users s ON s.id = i.sender JOIN users r ON r.id = i.recipient
        WHERE ${mine} = $1 AND i.id > $2 AND i.expiry > $3
        ORDER BY i.id LIMIT $4`,
      [user!.id, since, ctx.now(), limit],
    );
    // "Nothing new" is 304 with an empty body for the /since variants.
    if (withSince && res.rows.length === 0) return { status: 304, headers: {}, body: Buffer.alloc(0) };
    return jsonResponse(res.rows.map((r) => ({ ...header(r), message: r.body.toString('base64') })));
  };

  return [
    { method: 'GET', pattern: '/inbox', auth: 'blinded', handler: list('inbox', false) },
    { method: 'GET', pattern: '/inbox/since/<id:int>', auth: 'blinded', handler: list('inbox', true) },
    { method: 'GET', pattern: '/outbox', auth: 'blinded', handler: list('outbox', false) },
    { method: 'GET', pattern: '/outbox/since/<id:int>', auth: 'blinded', handler: list('outbox', true) },
    {
      method: 'POST',
      pattern: '/inbox/<sid:blindsid>',
      auth: 'user',
      handler: async ({ user, params, req }) => {
        const message = base64Field(jsonObject(req).message, 'message');
        const recipient = await ctx.users.find(ctx.db, params.sid);
        if (!recipient || recipient.banned) throw notFound('No such user');
        const now = ctx.now();
        const res = await ctx.db.query<{ id: string }>(
          'INSERT INTO inbox (recipient, sender, body, posted_at, expiry) VALUES ($1, $2, $3, $4, $5) RETURNING id',
          [recipient.id, user!.id, message, now, now + ctx.settings.dmExpirySeconds],
        );
        return jsonResponse(
          { id: Number(res.rows[0].id), posted_at: now, expires_at: now + ctx.settings.dmExpirySeconds, sender: user!.sessionId, recipient: recipient.sessionId },
          201,
        );
      },
    },
    {
      method: 'DELETE',
      pattern: '/inbox',
      auth: 'blinded',
      handler: async ({ user }) => {
        const res = await ctx.db.query('DELETE FROM inbox WHERE recipient = $1', [user!.id]);
        return jsonResponse({ deleted: res.rowCount });
      },
    },
  ];
}
