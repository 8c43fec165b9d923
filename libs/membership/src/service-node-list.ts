// The node list in oxend's `get_service_nodes` shape (storage-onion 4.1), written once: the
// registry's seed API serves it, and every listed node answers `oxend_request get_service_nodes`
// with the same entries, fields and filters. The network map plays the chain: its version is the
// height and its hash the block hash, so a caller polling with `poll_block_hash` equal to it gets
// `unchanged: true` and no list.
//
// swarm_id is a u64. JSON numbers lose precision above 2^53, so ids below 2^53 are sent as
// numbers (as upstream) and larger ones — almost all of them, and the relays' 2^64-1 — as
// decimal strings. Our clients read both; `swarm` carries the same id as 16 hex digits.
import { randomInt } from 'crypto';
import { common, networkMapHash, type registry } from '@starling/proto';

/** What oxend reports for a current network; clients compare hardfork against [19, 4]. */
const HARDFORK = 19;
const SNODE_REVISION = 4;
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/** Every field of a `service_node_states` entry, in the order they are sent. */
export const SERVICE_NODE_FIELDS = [
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
export type ServiceNodeField = (typeof SERVICE_NODE_FIELDS)[number];
export type ServiceNodeState = Record<ServiceNodeField, unknown>;

/** The caller's params are not a valid request (JSON-RPC answers it as "invalid params"). */
export class InvalidServiceNodeQuery extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidServiceNodeQuery';
  }
}

export interface ServiceNodeQuery {
  /** The fields to send; undefined: all of them. */
  fields: ReadonlySet<string> | undefined;
  /** A uniform random subset of this many nodes; 0: every node. */
  limit: number;
  /** The block hash the caller holds. */
  pollBlockHash: string | undefined;
}

/** The network map as the list describes it. */
export interface ListedNetwork {
  /** Sent as the height. */
  version: bigint;
  /** Sent as the block hash (networkMapHash of the map). */
  hash: string;
  nodes: readonly common.NodeInfo[];
}

/** Where `limit` draws its subset from; the operating system's CSPRNG unless a test seeds one. */
export interface UniformRandom {
  /** Uniform integer in [0, n); n >= 1. */
  below(n: number): number;
}

const cryptoRandom: UniformRandom = { below: (n) => randomInt(n) };

export function swarmIdJson(id: string): number | string {
  return BigInt(id) <= MAX_SAFE ? Number(id) : id;
}

function versionTriple(version: string): [number, number, number] {
  const m = /^(\d+)\.(\d+)\.(\d+)/.exec(version);
  return m ? [Number(m[1]), Number(m[2]), Number(m[3])] : [0, 0, 0];
}

/** One map entry with the upstream field names. */
export function serviceNodeState(n: common.NodeInfo): ServiceNodeState {
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

/** The largest `limit` (oxend's uint32). */
const MAX_LIMIT = 0xffffffff;

/** Reads `active_only`, `limit`, `fields` (object {name: true} or list) and `poll_block_hash`. */
export function parseServiceNodeQuery(raw: unknown): ServiceNodeQuery {
  if (raw === undefined || raw === null) return { fields: undefined, limit: 0, pollBlockHash: undefined };
  if (typeof raw !== 'object' || Array.isArray(raw)) throw new InvalidServiceNodeQuery('params must be an object');
  const p = raw as Record<string, unknown>;
  if (p.active_only !== undefined && typeof p.active_only !== 'boolean') throw new InvalidServiceNodeQuery('active_only must be a boolean');
  let limit = 0;
  if (p.limit !== undefined && p.limit !== null) {
    // oxend reads limit as a 32-bit count: a number past that (1e30 parses as an integer) is no limit.
    if (typeof p.limit !== 'number' || !Number.isInteger(p.limit) || p.limit < 0 || p.limit > MAX_LIMIT) throw new InvalidServiceNodeQuery(`limit must be an integer from 0 to ${MAX_LIMIT}`);
    limit = p.limit;
  }
  let fields: Set<string> | undefined;
  if (p.fields !== undefined && p.fields !== null) {
    if (Array.isArray(p.fields)) {
      if (!p.fields.every((f) => typeof f === 'string')) throw new InvalidServiceNodeQuery('fields must name fields');
      fields = new Set(p.fields as string[]);
    } else if (typeof p.fields === 'object') {
      const entries = Object.entries(p.fields as Record<string, unknown>);
      if (!entries.every(([, v]) => typeof v === 'boolean')) throw new InvalidServiceNodeQuery('fields must map names to true/false');
      fields = new Set(entries.filter(([, v]) => v).map(([k]) => k));
    } else {
      throw new InvalidServiceNodeQuery('fields must be an object {name: true}');
    }
    if (fields.size === 0) fields = undefined; // nothing selected: everything, as upstream
  }
  if (p.poll_block_hash !== undefined && p.poll_block_hash !== null && typeof p.poll_block_hash !== 'string') {
    throw new InvalidServiceNodeQuery('poll_block_hash must be a string');
  }
  return { fields, limit, pollBlockHash: (p.poll_block_hash as string | null | undefined) ?? undefined };
}

function pick(state: ServiceNodeState, fields: ReadonlySet<string> | undefined): Partial<ServiceNodeState> {
  if (!fields) return state;
  return Object.fromEntries(Object.entries(state).filter(([k]) => fields.has(k)));
}

/** Fisher–Yates on a copy, then the first `limit`: a uniform random subset as upstream's limit. */
function sample<T>(items: readonly T[], limit: number, random: UniformRandom): T[] {
  if (limit === 0 || limit >= items.length) return [...items];
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = random.below(i + 1);
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy.slice(0, limit);
}

/**
 * The `result` of get_service_nodes for `network` (undefined before the first map: an empty list
 * at height 0). Every map entry is active (the registry takes failing nodes out), so
 * `active_only` changes nothing.
 */
export function serviceNodeList(network: ListedNetwork | undefined, query: ServiceNodeQuery, random: UniformRandom = cryptoRandom): Record<string, unknown> {
  const blockHash = network?.hash ?? '';
  const height = Number(network?.version ?? 0n);
  const header = { height, target_height: height, block_hash: blockHash, hardfork: HARDFORK, snode_revision: SNODE_REVISION, status: 'OK' };
  if (query.pollBlockHash !== undefined && network && query.pollBlockHash === blockHash) return { ...header, unchanged: true };
  const states = sample(network?.nodes ?? [], query.limit, random).map((n) => pick(serviceNodeState(n), query.fields));
  return { service_node_states: states, ...header };
}

/** A signed network map as the list describes it. */
export function networkOf(map: registry.NetworkMap): ListedNetwork {
  return { version: BigInt(map.version), hash: networkMapHash(map), nodes: map.nodes };
}
