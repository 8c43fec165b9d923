// What the account layers need from the network: storage RPCs to a swarm and network time.
// SwarmClient (network/) is the real one; it sends every request through an onion path.
import { ClientError } from '../network/errors';
import type { SnodeReply } from '../network/onion-client';
import type { ServiceNode } from '../network/service-nodes';

export interface SwarmAccess {
  readonly clock: { now(): number };
  swarmOf(pubkey: string): Promise<ServiceNode[]>;
  request(pubkey: string, method: string, params: () => Record<string, unknown>, node?: ServiceNode): Promise<SnodeReply>;
}

export interface BatchResult {
  code: number;
  body: unknown;
}

/** Throws a one-line ClientError unless the node answered 200. */
export function requireOk(reply: SnodeReply, what: string): Record<string, unknown> {
  if (reply.status !== 200 || typeof reply.body !== 'object' || reply.body === null) {
    throw new ClientError(`${what} failed: ${reply.status} ${describeBody(reply.body)}`, reply.status === 401 ? 'refused' : 'network');
  }
  return reply.body as Record<string, unknown>;
}

/** The sub-results of a batch, in request order. */
export function batchResults(reply: SnodeReply, count: number, what: string): BatchResult[] {
  const results = requireOk(reply, what).results;
  if (!Array.isArray(results) || results.length !== count) throw new ClientError(`${what} failed: the node answered a malformed batch`);
  return results.map((r) => ({ code: Number((r as BatchResult)?.code), body: (r as BatchResult)?.body }));
}

export function describeBody(body: unknown): string {
  const text = typeof body === 'string' ? body : JSON.stringify(body) ?? '';
  return text.replace(/\s+/g, ' ').slice(0, 200);
}
