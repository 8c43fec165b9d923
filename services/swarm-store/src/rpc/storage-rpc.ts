// The storage node's one transport-neutral handler: a storage RPC request, however it arrived
// (direct HTTP, the last layer of an onion request, a relay's gRPC call), is parsed the same way,
// dispatched to the same method handlers and counted by the transport it came on.
import { parseJson, stringifyJson } from '@starling/platform';
import type { NodeMetrics } from '../node-metrics';
import type { RpcDispatcher } from './dispatcher';
import type { RpcResult } from './method';
import { isObject, type Json } from './params';

export type RpcTransport = 'http' | 'grpc' | 'onion' | 'forwarded';

/** Method names as metric labels: known names only, so a client cannot create series at will. */
const KNOWN = new Set([
  'store', 'retrieve', 'delete', 'delete_all', 'delete_before', 'expire', 'expire_all', 'get_expiries',
  'revoke_subaccount', 'unrevoke_subaccount', 'revoked_subaccounts', 'get_swarm', 'get_snodes_for_pubkey', 'info', 'oxend_request', 'batch', 'sequence',
]);
export function methodLabel(method: unknown): string {
  return typeof method === 'string' && KNOWN.has(method) ? method : 'unknown';
}

export class StorageRpc {
  constructor(
    readonly dispatcher: RpcDispatcher,
    private readonly metrics: NodeMetrics,
  ) {}

  /**
   * A whole request body `{"method": M, "params": {...}}` (HTTP, onion). `malformed` replaces the
   * reason given for a body that is not a JSON object (onion requests answer "Invalid json").
   */
  async handleBody(text: string, transport: RpcTransport, malformed?: string): Promise<RpcResult> {
    const started = process.hrtime.bigint();
    const parsed = parseJson(text);
    const isRequest = parsed.ok && isObject(parsed.value as Json);
    if (malformed !== undefined && !isRequest) return this.count(undefined, transport, started, { status: 400, body: malformed });
    if (!parsed.ok) return this.count(undefined, transport, started, { status: 400, body: parsed.error });
    const method = isRequest ? (parsed.value as { method?: unknown }).method : undefined;
    return this.count(method, transport, started, await this.dispatcher.handleRequest(parsed.value, { nowMs: Date.now(), forwarded: false }));
  }

  /** One call whose method and parameters arrived apart (gRPC StorageRpc). */
  async handleCall(method: string, paramsJson: string, transport: RpcTransport): Promise<RpcResult> {
    const started = process.hrtime.bigint();
    const parsed = parseJson(paramsJson === '' ? '{}' : paramsJson);
    const result = parsed.ok
      ? await this.dispatcher.call(method, parsed.value as Json, { nowMs: Date.now(), forwarded: false }, true)
      : { status: 400, body: parsed.error };
    return this.count(method, transport, started, result);
  }

  /** A recursive request a swarm peer forwarded, checked against the time the entry node received it. */
  async handleForwarded(method: string, paramsJson: string, receivedMs: number): Promise<RpcResult> {
    const started = process.hrtime.bigint();
    const parsed = parseJson(paramsJson);
    const result = parsed.ok ? await this.dispatcher.call(method, parsed.value as Json, { nowMs: receivedMs, forwarded: true }, false) : { status: 400, body: parsed.error };
    return this.count(method, 'forwarded', started, result);
  }

  /** Counts and times one answered request (`started`: process.hrtime.bigint() when it began). */
  private count(method: unknown, transport: RpcTransport, started: bigint, result: RpcResult): RpcResult {
    const label = methodLabel(method);
    this.metrics.rpcRequests.inc({ method: label, status: String(result.status), transport });
    this.metrics.rpcDuration.observe({ method: label, transport }, Number(process.hrtime.bigint() - started) / 1e9);
    return result;
  }
}

/** A result as the bytes of gRPC answers and onion replies: JSON text or the plain-text message. */
export function rpcBodyText(result: RpcResult): string {
  return typeof result.body === 'string' ? result.body : stringifyJson(result.body);
}
