// POST /batch and POST /sequence (§1.12): subrequests run in process, through the same dispatcher,
// as the user who signed the outer request. /sequence stops after the first failure.
//
// One request's work is bounded: at most 256 subrequests, none of them a batch or an onion request
// (refused before any runs), and answers totalling at most what an onion response carries (past
// that, the remaining subrequests are not run). Between subrequests the loop yields, so that other
// clients' requests are served while a long batch runs instead of after it.
import { Injectable, type OnModuleInit } from '@nestjs/common';
import { isSuccess, textReply, type EdgeRequest, type Reply } from '@starling/platform';
import { BadInput } from '../domain/errors';
import { jsonBody } from '../http/params';
import { nestingRefusal, Router, type RouteContext } from '../http/router';
import { decodePath } from '../http/types';
import { MAX_BODY_BYTES } from '../settings';
import { batchAnswer, encodeSubresponse, parseSubrequest } from './subrequest';

export const MAX_SUBREQUESTS = 256;
/** Bytes of subrequest answers one batch may gather: what an onion response can carry. */
export const MAX_BATCH_ANSWER_BYTES = MAX_BODY_BYTES;

const NOT_RUN = (): Reply => textReply(413, `Batch answers passed ${MAX_BATCH_ANSWER_BYTES} bytes: subrequest not run`);

/** Lets I/O and other requests' callbacks run before the next subrequest. */
const yieldToOthers = () => new Promise<void>((resolve) => setImmediate(resolve));

@Injectable()
export class BatchRoutes implements OnModuleInit {
  constructor(private readonly router: Router) {}

  onModuleInit(): void {
    const run = (stopOnFailure: boolean) => async (rc: RouteContext) => {
      const out: Buffer[] = [];
      let answerBytes = 0;
      for (const sub of this.parse(rc)) {
        let res: Reply;
        if (answerBytes > MAX_BATCH_ANSWER_BYTES) res = NOT_RUN();
        else {
          await yieldToOthers();
          res = await rc.dispatch(sub);
          answerBytes += res.body.byteLength;
        }
        out.push(encodeSubresponse(res));
        if (stopOnFailure && !isSuccess(res)) break; // the failing one is still included
      }
      return batchAnswer(out);
    };
    this.router.add(
      { method: 'POST', pattern: '/batch', nests: 'batch', handler: run(false) },
      { method: 'POST', pattern: '/sequence', nests: 'batch', handler: run(true) },
    );
  }

  /** The subrequests, all well formed and none nesting more requests, or a BadInput (nothing runs). */
  private parse(rc: RouteContext): EdgeRequest[] {
    const items = jsonBody(rc.req);
    if (!Array.isArray(items) || items.length === 0) throw new BadInput('Invalid batch request: expected a non-empty array');
    if (items.length > MAX_SUBREQUESTS) throw new BadInput(`Invalid batch request: at most ${MAX_SUBREQUESTS} subrequests`);
    const subs = items.map(parseSubrequest);
    for (const sub of subs) {
      const matched = this.router.match(sub.method, decodePath(sub.path));
      const refusal = 'route' in matched ? nestingRefusal('batch', matched.route) : undefined;
      if (refusal) throw new BadInput(refusal);
    }
    return subs;
  }
}
