import { common, NO_SWARM_ID } from '@starling/proto';
import {
  InvalidServiceNodeQuery,
  parseServiceNodeQuery,
  SERVICE_NODE_FIELDS,
  serviceNodeList,
  serviceNodeState,
  swarmIdJson,
  type ListedNetwork,
  type UniformRandom,
} from './service-node-list';

/** A store node with key bytes `i`, as the map lists it; `overrides` makes the odd one. */
function node(i: number, overrides: Partial<common.NodeInfo> = {}): common.NodeInfo {
  const key = (byte: number) => byte.toString(16).padStart(2, '0').repeat(32);
  return {
    role: common.NodeRole.NODE_ROLE_STORE,
    pubkeyEd25519: key(i),
    pubkeyX25519: key(0x80 + i),
    grpcAddress: `127.0.0.1:${5000 + i}`,
    publicIp: '10.0.0.1',
    publicPort: 8000 + i,
    swarmId: '0',
    version: '2.10.3-rc1',
    ...overrides,
  };
}
const relayNode = node(5, { role: common.NodeRole.NODE_ROLE_RELAY, swarmId: NO_SWARM_ID, publicIp: '', version: '' });
const network: ListedNetwork = { version: 12n, hash: 'ab'.repeat(32), nodes: [node(1), node(2, { swarmId: '9007199254740992' }), node(3, { swarmId: '17' }), relayNode] };
const everything = parseServiceNodeQuery(undefined);

/** Draws the given numbers in turn: a limit's subset is then known in advance. */
const draws = (...values: number[]): UniformRandom => ({ below: (n) => values.shift()! % n });

describe('serviceNodeState', () => {
  it('names every field as upstream does, in its order', () => {
    const state = serviceNodeState(node(1, { swarmId: '17' }));
    expect(Object.keys(state)).toEqual([...SERVICE_NODE_FIELDS]);
    expect(state).toMatchObject({ public_ip: '10.0.0.1', storage_port: 8001, swarm_id: 17, swarm: '0000000000000011', storage_server_version: [2, 10, 3], role: 'store' });
  });

  it('gives a node without an address upstream\'s 0.0.0.0 and an unparsable version 0.0.0', () => {
    expect(serviceNodeState(relayNode)).toMatchObject({ public_ip: '0.0.0.0', storage_server_version: [0, 0, 0], swarm_id: NO_SWARM_ID, role: 'relay' });
  });

  it('sends swarm ids as JSON numbers up to 2^53 - 1 only', () => {
    expect(swarmIdJson('0')).toBe(0);
    expect(swarmIdJson(String(Number.MAX_SAFE_INTEGER))).toBe(Number.MAX_SAFE_INTEGER);
    expect(swarmIdJson('9007199254740992')).toBe('9007199254740992');
    expect(swarmIdJson(NO_SWARM_ID)).toBe(NO_SWARM_ID);
  });
});

describe('parseServiceNodeQuery', () => {
  it('reads fields as an object or a list; none selected means all', () => {
    expect([...parseServiceNodeQuery({ fields: { public_ip: true, swarm_id: false } }).fields!]).toEqual(['public_ip']);
    expect([...parseServiceNodeQuery({ fields: ['swarm_id', 'storage_port'] }).fields!]).toEqual(['swarm_id', 'storage_port']);
    expect(parseServiceNodeQuery({ fields: { public_ip: false } }).fields).toBeUndefined();
    expect(parseServiceNodeQuery({ fields: null, limit: null, poll_block_hash: null })).toEqual(everything);
  });

  it.each([
    ['a number', 5],
    ['an array', []],
    ['active_only as a string', { active_only: 'true' }],
    ['a negative limit', { limit: -1 }],
    ['limit as a string', { limit: '3' }],
    ['a limit past 32 bits', { limit: 2 ** 32 }],
    ['a limit written as a huge number', JSON.parse('{"limit":123456789012345678901234567890.5}')],
    ['fields naming numbers', { fields: [1] }],
    ['fields mapping to strings', { fields: { public_ip: 'yes' } }],
    ['poll_block_hash as a number', { poll_block_hash: 1 }],
  ])('refuses %s', (_what, params) => {
    expect(() => parseServiceNodeQuery(params)).toThrow(InvalidServiceNodeQuery);
  });
});

describe('serviceNodeList', () => {
  it('lists every node with the map version as height and its hash as block hash', () => {
    const result = serviceNodeList(network, everything);
    expect(Object.keys(result)).toEqual(['service_node_states', 'height', 'target_height', 'block_hash', 'hardfork', 'snode_revision', 'status']);
    expect(result).toMatchObject({ height: 12, target_height: 12, block_hash: network.hash, hardfork: 19, snode_revision: 4, status: 'OK' });
    expect(result.service_node_states).toEqual(network.nodes.map(serviceNodeState));
  });

  it('keeps only the requested fields, ignoring unknown names', () => {
    const result = serviceNodeList(network, parseServiceNodeQuery({ fields: ['swarm_id', 'storage_port', 'height'] }));
    expect(result.service_node_states).toEqual([
      { storage_port: 8001, swarm_id: 0 },
      { storage_port: 8002, swarm_id: '9007199254740992' },
      { storage_port: 8003, swarm_id: 17 },
      { storage_port: 8005, swarm_id: NO_SWARM_ID },
    ]);
  });

  it('draws a limit\'s subset from the random source (Fisher–Yates from the end)', () => {
    // [1, 2, 3, relay]: i = 3 swaps with 0, i = 2 with 2, i = 1 with 0 → [2, relay, 3, 1]; the first two.
    const result = serviceNodeList(network, parseServiceNodeQuery({ limit: 2, fields: ['storage_port'] }), draws(0, 2, 0));
    expect(result.service_node_states).toEqual([{ storage_port: 8002 }, { storage_port: 8005 }]);
    expect(serviceNodeList(network, parseServiceNodeQuery({ limit: 4 }), draws()).service_node_states).toHaveLength(4);
  });

  it('answers unchanged to the current hash only', () => {
    expect(serviceNodeList(network, parseServiceNodeQuery({ poll_block_hash: network.hash }))).toEqual({
      height: 12,
      target_height: 12,
      block_hash: network.hash,
      hardfork: 19,
      snode_revision: 4,
      status: 'OK',
      unchanged: true,
    });
    expect(serviceNodeList(network, parseServiceNodeQuery({ poll_block_hash: 'cd'.repeat(32) })).service_node_states).toHaveLength(4);
  });

  it('is an empty list at height 0 before the first map, even for an empty poll hash', () => {
    expect(serviceNodeList(undefined, parseServiceNodeQuery({ poll_block_hash: '' }))).toMatchObject({ service_node_states: [], height: 0, block_hash: '' });
  });
});
