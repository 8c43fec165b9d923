// The request handler: one JSON-RPC request {method, params} -> method lookup -> handler, with
// batch and sequence on top. Every outcome is an RpcResult; a JSON body gets the server time `t`
// and the hardfork `hf` that clients read. Nothing thrown here escapes as a crash.
import type { Logger } from '@starling/platform';
import type { SwarmFanout } from '../replication/swarm-fanout';
import { HARDFORK } from '@starling/service-node';
import { BATCH_REQUEST_MAX } from './limits';
import type { RpcContext, RpcMethod, RpcResult } from './method';
import { isObject, Params, type Json, type JsonObject } from './params';
import { invalidRequest, RpcError } from './rpc-error';

const NESTING = new Set(['batch', 'sequence', 'ifelse']);

export class RpcDispatcher {
  private readonly methods = new Map<string, RpcMethod>();

  constructor(
    methods: readonly RpcMethod[],
    private readonly fanout: SwarmFanout,
    private readonly logger: Logger,
  ) {
    for (const m of methods) this.methods.set(m.name, m);
  }

  /** True when `name` is a method a swarm peer may forward (a recursive one). */
  isRecursive(name: string): boolean {
    return this.methods.get(name)?.kind === 'recursive';
  }

  /** A whole request body: {"method": M, "params": {...}} (JSON already parsed). */
  async handleRequest(request: unknown, ctx: RpcContext): Promise<RpcResult> {
    if (!isObject(request)) return finalize(invalidRequest('expected a JSON object {"method": ..., "params": {...}}'), ctx);
    return this.call(request.method, request.params ?? {}, ctx, true);
  }

  /** One method call; `allowNesting` is false inside batch and sequence. */
  async call(method: unknown, params: Json | undefined, ctx: RpcContext, allowNesting: boolean): Promise<RpcResult> {
    try {
      if (typeof method !== 'string') throw invalidRequest('"method" must be a string');
      if (method === 'batch' || method === 'sequence') {
        if (!allowNesting) throw invalidRequest(`${method} cannot be nested inside batch or sequence`);
        return finalize(await this.batch(method, Params.of(params), ctx), ctx);
      }
      const handler = this.methods.get(method);
      if (!handler) throw new RpcError(400, `no method ${method.slice(0, 64)}`);
      const p = Params.of(params);
      const result = handler.kind === 'local' ? await handler.handle(p, ctx) : await this.fanout.run(handler, p, params as JsonObject, ctx);
      return finalize(result, ctx);
    } catch (err) {
      if (!(err instanceof RpcError)) this.logger.error({ err, method: typeof method === 'string' ? method.slice(0, 64) : undefined }, 'storage rpc failed');
      return finalize(err, ctx);
    }
  }

  /** batch runs the subrequests concurrently; sequence in order, stopping at the first non-2xx. */
  private async batch(kind: 'batch' | 'sequence', params: Params, ctx: RpcContext): Promise<RpcResult> {
    const requests = params.get('requests');
    if (!Array.isArray(requests) || requests.length === 0 || requests.length > BATCH_REQUEST_MAX) {
      throw invalidRequest(`"requests" must be a list of 1 to ${BATCH_REQUEST_MAX} subrequests`);
    }
    for (const [i, r] of requests.entries()) {
      if (!isObject(r)) throw invalidRequest(`subrequest ${i} must be an object {"method", "params"}`);
      if (typeof r.method === 'string' && NESTING.has(r.method)) throw invalidRequest(`subrequest ${i}: ${r.method} cannot be nested`);
    }
    const run = (r: JsonObject) => this.call(r.method, r.params ?? {}, ctx, false);
    const results: RpcResult[] = [];
    if (kind === 'batch') results.push(...(await Promise.all(requests.map((r) => run(r as JsonObject)))));
    else {
      for (const r of requests) {
        const result = await run(r as JsonObject);
        results.push(result);
        if (result.status < 200 || result.status >= 300) break;
      }
    }
    return { status: 200, body: { results: results.map((r) => ({ code: r.status, body: r.body })) } };
  }
}

/** Turns a result or an error into the final result; JSON bodies get `t` and `hf`. */
function finalize(outcome: RpcResult | unknown, ctx: RpcContext): RpcResult {
  let result: RpcResult;
  if (outcome instanceof RpcError) result = { status: outcome.status, body: outcome.jsonBody ?? outcome.message };
  else if (outcome instanceof Error || !isResult(outcome)) result = { status: 500, body: 'request failed' };
  else result = outcome;
  if (typeof result.body === 'string') return result;
  return { status: result.status, body: { ...result.body, t: ctx.nowMs, hf: [...HARDFORK] } };
}

function isResult(v: unknown): v is RpcResult {
  return isObject(v as Json) && typeof (v as RpcResult).status === 'number';
}
