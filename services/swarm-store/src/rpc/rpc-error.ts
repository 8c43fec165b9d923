// An RPC outcome other than success: the HTTP status the protocol gives it and the plain-text
// message (or, for 421, the JSON body naming the right swarm).
import type { JsonObject } from './params';
export class RpcError extends Error {
  constructor(
    readonly status: number,
    message: string,
    /** JSON body sent instead of the message (421 wrong swarm). */
    readonly jsonBody?: JsonObject,
  ) {
    super(message);
    this.name = 'RpcError';
  }
}

/** 400 "invalid request: <reason>", the storage server's wording for every parse error. */
export function invalidRequest(reason: string): RpcError {
  return new RpcError(400, `invalid request: ${reason}`);
}

export const CLOCK_ERROR = 'Timestamp error: check your clock';
