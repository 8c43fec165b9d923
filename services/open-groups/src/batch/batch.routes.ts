// POST /batch and POST /sequence (§1.12): subrequests run in process as the outer request's user.
import { badRequest } from '../http/errors';
import { jsonBody } from '../http/params';
import type { RouteContext, RouteDef } from '../http/router';
import { jsonResponse, SogsRequest } from '../http/types';
import { encodeSubresponse, parseSubrequest } from './subrequest';

export const MAX_SUBREQUESTS = 256;

function parseBatch(rc: RouteContext): SogsRequest[] {
  const items = jsonBody(rc.req);
  if (!Array.isArray(items) || items.length === 0) throw badRequest('Invalid batch request: expected a non-empty array');
  if (items.length > MAX_SUBREQUESTS) throw badRequest(`Invalid batch request: at most ${MAX_SUBREQUESTS} subrequests`);
  return items.map(parseSubrequest);
}

export function batchRoutes(): RouteDef[] {
  return [
    {
      method: 'POST',
      pattern: '/batch',
      handler: async (rc) => {
        const subs = parseBatch(rc);
        const out = [];
        for (const sub of subs) out.push(encodeSubresponse(await rc.dispatch(sub)));
        return jsonResponse(out);
      },
    },
    {
      method: 'POST',
      pattern: '/sequence',
      handler: async (rc) => {
        const subs = parseBatch(rc);
        const out = [];
        for (const sub of subs) {
          const res = await rc.dispatch(sub);
          out.push(encodeSubresponse(res));
          if (res.status < 200 || res.status >= 300) break; // the failing one is still included
        }
        return jsonResponse(out);
      },
    },
  ];
}
