/** What a hop answers the previous hop (or the client): a status and an opaque body. */
export interface HopOutcome {
  status: number;
  body: Uint8Array;
  /** Only for the HTTP edge: path errors are plain text, destination replies pass through. */
  contentType: string;
  /** For metrics: how the request ended at this hop. */
  outcome: HopOutcomeLabel;
}

export type HopOutcomeLabel =
  | 'forwarded'
  | 'proxied'
  | 'bad_request'
  | 'next_node_not_found'
  | 'timeout'
  | 'upstream_error';

export function pathError(status: number, message: string, outcome: HopOutcomeLabel): HopOutcome {
  return { status, body: Buffer.from(message, 'utf8'), contentType: 'text/plain; charset=utf-8', outcome };
}
