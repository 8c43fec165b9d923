// Room files (§1.8): raw uploads that live an hour unless a post claims them, and downloads.
import type { AppContext } from '../context';
import { forbidden, HttpError, notFound } from '../http/errors';
import type { RouteContext, RouteDef } from '../http/router';
import { jsonResponse, OCTET_TYPE, SogsResponse } from '../http/types';
import { contentDisposition, filenameFromDisposition } from './filename';

const httpDate = (seconds: number) => new Date(seconds * 1000).toUTCString();

export function fileRoutes(ctx: AppContext): RouteDef[] {
  const download = async ({ user, params }: RouteContext): Promise<SogsResponse> => {
    const { room, access } = await ctx.rooms.get(ctx.db, params.token, user);
    if (!access.read) throw forbidden('You do not have permission to read this room');
    const res = await ctx.db.query<{ data: Buffer; filename: string | null; uploaded: number; expiry: number | null }>(
      'SELECT data, filename, uploaded, expiry FROM files WHERE id = $1 AND room = $2 AND (expiry IS NULL OR expiry > $3)',
      [Number(params.id), room.id, ctx.now()],
    );
    const file = res.rows[0];
    if (!file) throw notFound('No such file');
    const headers: Record<string, string> = {
      'content-type': OCTET_TYPE,
      'content-disposition': contentDisposition(file.filename),
      date: httpDate(Number(file.uploaded)),
    };
    if (file.expiry !== null) headers.expires = httpDate(Number(file.expiry));
    return { status: 200, headers, body: file.data };
  };

  return [
    {
      method: 'POST',
      pattern: '/room/<token:token>/file',
      auth: 'user',
      handler: async ({ user, params, req }) => {
        const { room, access } = await ctx.rooms.get(ctx.db, params.token, user);
        if (!access.upload) throw forbidden('You do not have permission to upload to this room');
        if (req.body.length === 0) throw new HttpError(400, 'No file data');
        if (req.body.length > ctx.settings.maxFileBytes) throw new HttpError(413, 'File too large');
        const now = ctx.now();
        const res = await ctx.db.query<{ id: string }>(
          `INSERT INTO files (room, uploader, size, uploaded, expiry, filename, data) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
          [room.id, user!.id, req.body.length, now, now + ctx.settings.uploadClaimSeconds, filenameFromDisposition(req.headers['content-disposition']), req.body],
        );
        return jsonResponse({ id: Number(res.rows[0].id) }, 201);
      },
    },
    { method: 'GET', pattern: '/room/<token:token>/file/<id:int>', handler: download },
    { method: 'GET', pattern: '/room/<token:token>/file/<id:int>/<name:rest>', handler: download },
  ];
}
