// The node list, as the seed (the registry) publishes it with oxend's field names.
import { HttpOptions, postBytes } from './http';
import { ClientError } from './errors';

export interface ServiceNode {
  role: 'store' | 'relay';
  ed25519: string;
  x25519: string;
  ip: string;
  port: number;
  /** Decimal u64; relays and unassigned nodes carry 2^64-1. */
  swarmId: string;
}

export const NO_SWARM = '18446744073709551615';

export function nodeUrl(node: Pick<ServiceNode, 'ip' | 'port'>, path: string): string {
  // Every listed node speaks HTTPS (a self-signed certificate, as upstream; postBytes accepts it).
  return `https://${node.ip}:${node.port}${path}`;
}

/** Asks the seed for every active node; refuses anything but an exact `application/json` reply. */
export async function fetchServiceNodes(seedUrl: string, timeoutMs = 5_000, httpOptions: HttpOptions = {}): Promise<ServiceNode[]> {
  const url = new URL('json_rpc', seedUrl.endsWith('/') ? seedUrl : `${seedUrl}/`).toString();
  const request = JSON.stringify({ jsonrpc: '2.0', method: 'get_n_service_nodes', params: { active_only: true } });
  const reply = await postBytes(url, request, timeoutMs, `the seed ${seedUrl}`, httpOptions);
  if (reply.status !== 200 || reply.contentType !== 'application/json') {
    throw new ClientError(`the seed ${seedUrl} answered ${reply.status} (${reply.contentType || 'no content type'}), not a node list`);
  }
  let states: unknown;
  try {
    states = JSON.parse(reply.body.toString('utf8')).result?.service_node_states;
  } catch {
    throw new ClientError(`the seed ${seedUrl} sent a node list that is not JSON`);
  }
  if (!Array.isArray(states)) throw new ClientError(`the seed ${seedUrl} sent no service_node_states`);
  return states.flatMap((s) => {
    const node = parseNode(s);
    return node ? [node] : [];
  });
}

function parseNode(raw: unknown): ServiceNode | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const s = raw as Record<string, unknown>;
  const hex64 = (v: unknown) => typeof v === 'string' && /^[0-9a-f]{64}$/i.test(v);
  if (!hex64(s.pubkey_ed25519) || !hex64(s.pubkey_x25519)) return undefined;
  if (typeof s.public_ip !== 'string' || s.public_ip === '0.0.0.0' || s.public_ip === '') return undefined;
  const port = Number(s.storage_port);
  if (!Number.isInteger(port) || port <= 0 || port > 65535) return undefined;
  let swarmId: string;
  try {
    swarmId = BigInt(s.swarm_id as string | number).toString();
  } catch {
    return undefined;
  }
  const role = s.role === 'relay' ? 'relay' : s.role === 'store' ? 'store' : swarmId === NO_SWARM ? 'relay' : 'store';
  return { role, ed25519: (s.pubkey_ed25519 as string).toLowerCase(), x25519: (s.pubkey_x25519 as string).toLowerCase(), ip: s.public_ip, port, swarmId };
}
