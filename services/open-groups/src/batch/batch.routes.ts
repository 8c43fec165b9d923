// POST /batch and POST /sequence (§1.12): subrequests run in process, through the same dispatcher,
// as the user who signed the outer request. /sequence stops after the first failure.
import { Injectable, type OnModuleInit } from '@nestjs/common';
import { isSuccess, jsonReply, type EdgeRequest } from '@starling/platform';
import { BadInput } from '../domain/errors';
import { jsonBody } from '../http/params';
import { Router, type RouteContext } from '../http/router';
import { encodeSubresponse, parseSubrequest } from './subrequest';

export const MAX_SUBREQUESTS = 256;

function parseBatch(rc: RouteContext): EdgeRequest[] {
  const items = jsonBody(rc.req);
  if (!Array.isArray(items) || items.length === 0) throw new BadInput('Invalid batch request: expected a non-empty array');
  if (items.length > MAX_SUBREQUESTS) throw new BadInput(`Invalid batch request: at most ${MAX_SUBREQUESTS} subrequests`);
  return items.map(parseSubrequest);
}

@Injectable()
export class BatchRoutes implements OnModuleInit {
  constructor(private readonly router: Router) {}

  onModuleInit(): void {
    const run = (stopOnFailure: boolean) => async (rc: RouteContext) => {
      const out = [];
      for (const sub of parseBatch(rc)) {
        const res = await rc.dispatch(sub);
        out.push(encodeSubresponse(res));
        if (stopOnFailure && !isSuccess(res)) break; // the failing one is still included
      }
      return jsonReply(200, out);
    };
    this.router.add({ method: 'POST', pattern: '/batch', handler: run(false) }, { method: 'POST', pattern: '/sequence', handler: run(true) });
  }
}
