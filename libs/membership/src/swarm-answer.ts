// get_swarm's answer for an account: the members of the swarm it maps to, with upstream's field
// names. Storage nodes send it for get_swarm and with every 421 ("wrong swarm"); relays send it
// for an account's request, since they belong to no swarm.
import { toBase32z } from './base32z';
import { swarmIdHex, type SwarmMember, type SwarmView } from './swarm-view';

export interface SnodeEntry {
  address: string;
  pubkey_legacy: string;
  pubkey_x25519: string;
  pubkey_ed25519: string;
  port: string;
  port_https: number;
  port_omq: number;
  port_quic: number;
  ip: string;
}

export interface SwarmAnswer {
  snodes: SnodeEntry[];
  swarm: string;
}

/** One "snodes" entry. */
function snodeEntry(m: SwarmMember): SnodeEntry {
  return {
    address: `${toBase32z(Buffer.from(m.ed25519, 'hex'))}.snode`,
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

/** The swarm of an account (33-byte id); no swarm at all: an empty list and the no-swarm id. */
export function swarmAnswer(view: SwarmView, accountId: Uint8Array): SwarmAnswer {
  const swarmId = view.swarmOf(accountId);
  if (swarmId === undefined) return { snodes: [], swarm: 'ffffffffffffffff' };
  // Members without an address clients can reach are left out, as newer upstream versions do.
  const snodes = view.members(swarmId).filter((m) => m.publicIp !== '' && m.publicPort > 0).map(snodeEntry);
  return { snodes, swarm: swarmIdHex(swarmId) };
}
