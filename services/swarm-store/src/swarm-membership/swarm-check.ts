// The first check of every account-scoped request: does the account belong to this node's swarm?
// If not, 421 with the swarm that does (get_swarm's answer), so the client re-routes at once.
import { swarmAnswer, type SwarmView } from '@starling/membership';
import type { RpcContext } from '../rpc/method';
import type { Account, JsonObject } from '../rpc/params';
import { RpcError } from '../rpc/rpc-error';

/** get_swarm's body for an account. */
export function swarmBodyFor(view: SwarmView, account: Account): JsonObject {
  return swarmAnswer(view, account.id) as unknown as JsonObject;
}

/** Throws 421 (wrong swarm), 503 (this node is in no swarm) or 500 (no swarms at all). */
export function requireOwnSwarm(view: SwarmView, account: Account, ctx: RpcContext): void {
  if (ctx.forwarded) return; // the entry node checked with its map, which may be newer than ours
  if (!view.hasSwarms) throw new RpcError(500, 'No swarms known!');
  if (view.mySwarmId === undefined) throw new RpcError(503, `Snode not ready: ${view.self}`);
  if (!view.isMine(account.id)) throw new RpcError(421, 'wrong swarm', swarmBodyFor(view, account));
}
