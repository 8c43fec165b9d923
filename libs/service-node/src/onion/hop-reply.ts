// What one hop answers the previous hop (or the client): a Reply, labelled with how the request
// ended at this hop for the node's metrics. Path errors are plain text, as Session clients parse
// them (storage-onion 3.7); a destination's reply passes through untouched.
import { textReply, type Reply } from '@starling/platform';

export const HOP_OUTCOMES = ['forwarded', 'proxied', 'delivered', 'bad_request', 'next_node_not_found', 'timeout', 'upstream_error'] as const;
export type HopOutcome = (typeof HOP_OUTCOMES)[number];

export type HopReply = Reply & { outcome: HopOutcome };

export function pathError(status: number, message: string, outcome: HopOutcome): HopReply {
  return { ...textReply(status, message), outcome };
}
