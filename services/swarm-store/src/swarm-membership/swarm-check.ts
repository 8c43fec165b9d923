// The first check of every account-scoped request: does the account belong to this node's swarm?
// If not, 421 with the swarm that does (get_swarm's body), so the client re-routes at once.
import type { RpcContext } from '../rpc/method';
import type { Account, JsonObject } from '../rpc/params';
import { RpcError } from '../rpc/rpc-error';
import { swarmIdHex, type SwarmMember, type SwarmView } from './swarm-view';
import { toBase32z } from './base32z';

/** One get_swarm "snodes" entry with the upstream field names. */
function snodeEntry(m: SwarmMember): JsonObject {
  const legacy = Buffer.from(m.ed25519, 'hex');
  return {
    address: `${toBase32z(legacy)}.snode`,
    pubkey_legacy: m.ed25519,
    pubkey_x25519: m.x25519,
    pubkey_ed25519: m.ed25519,
    port: String(m.publicPort),
    port_https: m.publicPort,
    port_omq: 0,
    port_quic: 0,
    ip: m.publicIp,
  };
}

/** get_swarm's body for an account: the members of the swarm it maps to. */
export function swarmBodyFor(view: SwarmView, account: Account): JsonObject {
  const swarmId = view.swarmOf(account.id);
  if (swarmId === undefined) return { snodes: [], swarm: 'ffffffffffffffff' };
  // Members without an address clients can reach are left out, as newer upstream versions do.
  const snodes = view.members(swarmId).filter((m) => m.publicIp !== '' && m.publicPort > 0).map(snodeEntry);
  return { snodes, swarm: swarmIdHex(swarmId) };
}

/** Throws 421 (wrong swarm), 503 (this node is in no swarm) or 500 (no swarms at all). */
export function requireOwnSwarm(view: SwarmView, account: Account, ctx: RpcContext): void {
  if (ctx.forwarded) return; // the entry node checked with its map, which may be newer than ours
  if (!view.hasSwarms) throw new RpcError(500, 'No swarms known!');
  if (view.mySwarmId === undefined) throw new RpcError(503, `Snode not ready: ${view.self}`);
  if (!view.isMine(account.id)) throw new RpcError(421, 'wrong swarm', swarmBodyFor(view, account));
}
