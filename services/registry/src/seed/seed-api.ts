// The seed API clients bootstrap from: oxend's JSON-RPC `get_n_service_nodes` (alias
// `get_service_nodes`) with the upstream field names (storage-onion 4.1), served from the map
// this replica holds. The map's hash plays the block hash: a client polling with
// `poll_block_hash` equal to it gets `unchanged: true` and no node list.
//
// swarm_id is a u64. JSON numbers lose precision above 2^53, so ids below 2^53 are sent as
// numbers (as upstream) and larger ones — almost all of them, and the relays' 2^64-1 — as
// decimal strings. Our clients read both; `swarm` carries the same id as 16 hex digits.
import { common } from '@starling/proto';
import type { PublishedMap } from '../map/map-store';
import type { RandomSource } from '../swarms/random-source';

export const SEED_METHODS = new Set(['get_n_service_nodes', 'get_service_nodes']);

/** What oxend reports for a current network; clients compare hardfork against [19, 4]. */
const HARDFORK = 19;
const SNODE_REVISION = 4;
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

export const NODE_FIELDS = [
  'service_node_pubkey',
  'public_ip',
  'storage_port',
  'storage_lmq_port',
  'pubkey_ed25519',
  'pubkey_x25519',
  'swarm_id',
  'swarm',
  'storage_server_version',
  'requested_unlock_height',
  'funded',
  'active',
  'role',
] as const;
type NodeField = (typeof NODE_FIELDS)[number];

export interface JsonRpcReply {
  status: number;
  body: Record<string, unknown>;
}

class InvalidParams extends Error {}

export function swarmIdJson(id: string): number | string {
  return BigInt(id) <= MAX_SAFE ? Number(id) : id;
}

function versionTriple(version: string): [number, number, number] {
  const m = /^(\d+)\.(\d+)\.(\d+)/.exec(version);
  return m ? [Number(m[1]), Number(m[2]), Number(m[3])] : [0, 0, 0];
}

function nodeState(n: common.NodeInfo): Record<NodeField, unknown> {
  return {
    service_node_pubkey: n.pubkeyEd25519,
    public_ip: n.publicIp || '0.0.0.0', // upstream's "no address": clients skip such nodes
    storage_port: n.publicPort,
    storage_lmq_port: 0, // no OMQ/QUIC transport (yet)
    pubkey_ed25519: n.pubkeyEd25519,
    pubkey_x25519: n.pubkeyX25519,
    swarm_id: swarmIdJson(n.swarmId),
    swarm: BigInt(n.swarmId).toString(16).padStart(16, '0'),
    storage_server_version: versionTriple(n.version),
    requested_unlock_height: 0,
    funded: true,
    active: true,
    role: n.role === common.NodeRole.NODE_ROLE_STORE ? 'store' : 'relay',
  };
}

interface SeedParams {
  fields: Set<string> | undefined;
  limit: number;
  pollBlockHash: string | undefined;
}

function parseParams(raw: unknown): SeedParams {
  if (raw === undefined || raw === null) return { fields: undefined, limit: 0, pollBlockHash: undefined };
  if (typeof raw !== 'object' || Array.isArray(raw)) throw new InvalidParams('params must be an object');
  const p = raw as Record<string, unknown>;
  if (p.active_only !== undefined && typeof p.active_only !== 'boolean') throw new InvalidParams('active_only must be a boolean');
  let limit = 0;
  if (p.limit !== undefined && p.limit !== null) {
    if (typeof p.limit !== 'number' || !Number.isInteger(p.limit) || p.limit < 0) throw new InvalidParams('limit must be an integer >= 0');
    limit = p.limit;
  }
  let fields: Set<string> | undefined;
  if (p.fields !== undefined && p.fields !== null) {
    if (Array.isArray(p.fields)) {
      if (!p.fields.every((f) => typeof f === 'string')) throw new InvalidParams('fields must name fields');
      fields = new Set(p.fields as string[]);
    } else if (typeof p.fields === 'object') {
      const entries = Object.entries(p.fields as Record<string, unknown>);
      if (!entries.every(([, v]) => typeof v === 'boolean')) throw new InvalidParams('fields must map names to true/false');
      fields = new Set(entries.filter(([, v]) => v).map(([k]) => k));
    } else {
      throw new InvalidParams('fields must be an object {name: true}');
    }
    if (fields.size === 0) fields = undefined; // nothing selected: everything, as upstream
  }
  if (p.poll_block_hash !== undefined && p.poll_block_hash !== null && typeof p.poll_block_hash !== 'string') {
    throw new InvalidParams('poll_block_hash must be a string');
  }
  return { fields, limit, pollBlockHash: (p.poll_block_hash as string | null | undefined) ?? undefined };
}

function pick(state: Record<NodeField, unknown>, fields: Set<string> | undefined): Record<string, unknown> {
  if (!fields) return state;
  return Object.fromEntries(Object.entries(state).filter(([k]) => fields.has(k)));
}

/** Fisher–Yates on a copy, then the first `limit`: a uniform random subset as upstream's limit. */
function sample<T>(items: readonly T[], limit: number, random: RandomSource): T[] {
  if (limit === 0 || limit >= items.length) return [...items];
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = random.below(i + 1);
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy.slice(0, limit);
}

function rpcError(id: unknown, status: number, code: number, message: string): JsonRpcReply {
  return { status, body: { jsonrpc: '2.0', id, error: { code, message } } };
}

/**
 * Answers one JSON-RPC request body. Parse errors are HTTP 400; protocol errors (unknown method,
 * bad params) are HTTP 200 with a JSON-RPC error object, as oxend answers them.
 */
export function answerSeedRequest(body: string, current: PublishedMap | undefined, random: RandomSource): JsonRpcReply {
  let request: unknown;
  try {
    request = JSON.parse(body);
  } catch {
    return rpcError(null, 400, -32700, 'Parse error: body is not JSON');
  }
  if (typeof request !== 'object' || request === null || Array.isArray(request)) {
    return rpcError(null, 400, -32600, 'Invalid request: expected a JSON object');
  }
  const { id = null, method, params } = request as Record<string, unknown>;
  if (typeof method !== 'string') return rpcError(id, 400, -32600, 'Invalid request: method is missing');
  if (!SEED_METHODS.has(method)) return rpcError(id, 200, -32601, `Method not found: ${method.slice(0, 64)}`);
  let parsed: SeedParams;
  try {
    parsed = parseParams(params);
  } catch (err) {
    return rpcError(id, 200, -32602, `Invalid params: ${(err as Error).message}`);
  }

  const nodes = current?.map.nodes ?? [];
  const blockHash = current?.hash ?? '';
  const height = Number(current?.version ?? 0n);
  const header = { height, target_height: height, block_hash: blockHash, hardfork: HARDFORK, snode_revision: SNODE_REVISION, status: 'OK' };
  if (parsed.pollBlockHash !== undefined && current && parsed.pollBlockHash === blockHash) {
    return { status: 200, body: { jsonrpc: '2.0', id, result: { ...header, unchanged: true } } };
  }
  // Every map entry is active (the registry takes failing nodes out), so active_only changes nothing.
  const states = sample(nodes, parsed.limit, random).map((n) => pick(nodeState(n), parsed.fields));
  return { status: 200, body: { jsonrpc: '2.0', id, result: { service_node_states: states, ...header } } };
}

