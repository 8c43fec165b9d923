import { SERVICE_NODE_FIELDS as NODE_FIELDS, swarmIdJson } from '@starling/membership';
import { JSON_TYPE, type Reply } from '@starling/platform';
import { common, NO_SWARM_ID, networkMapHash, registry } from '@starling/proto';
import type { PublishedMap } from '../map/map-store';
import { seededRandom } from '../swarms/random-source';
import { answerSeedRequest, seedRoute } from './seed-api';

const store = (i: number, swarmId: string): common.NodeInfo => ({
  role: common.NodeRole.NODE_ROLE_STORE,
  pubkeyEd25519: i.toString(16).padStart(64, 'a'),
  pubkeyX25519: i.toString(16).padStart(64, 'b'),
  grpcAddress: `127.0.0.1:${5000 + i}`,
  publicIp: '127.0.0.1',
  publicPort: 8000 + i,
  swarmId,
  version: '2.8.1',
});
const relayNode: common.NodeInfo = { ...store(9, NO_SWARM_ID), role: common.NodeRole.NODE_ROLE_RELAY, publicIp: '', publicPort: 0, version: 'dev' };
const nodes = [store(1, '0'), store(2, '0'), store(3, '9223372036854775807'), relayNode];
const map: registry.NetworkMap = { version: '7', createdMs: '1', nodes, registryPubkey: 'cc'.repeat(32), signature: Buffer.alloc(64) };
const published: PublishedMap = { version: 7n, hash: networkMapHash(map), map };

/** The reply with its JSON body read back; every answer, error or not, is exactly application/json. */
function decoded(reply: Reply): { status: number; body: Record<string, unknown> } {
  expect(reply.headers['content-type']).toBe(JSON_TYPE);
  return { status: reply.status, body: JSON.parse(Buffer.from(reply.body).toString('utf8')) as Record<string, unknown> };
}
const ask = (body: unknown, current: PublishedMap | undefined = published) =>
  decoded(answerSeedRequest(typeof body === 'string' ? body : JSON.stringify(body), current, seededRandom(1)));
const result = (body: unknown) => ask(body).body.result as Record<string, any>;

describe('seed API get_n_service_nodes', () => {
  it('lists every node with the upstream field names and the chain-like header', () => {
    const r = ask({ jsonrpc: '2.0', id: 3, method: 'get_n_service_nodes', params: { active_only: true } });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ jsonrpc: '2.0', id: 3 });
    const res = r.body.result as Record<string, any>;
    expect(res).toMatchObject({ height: 7, block_hash: published.hash, hardfork: 19, status: 'OK' });
    expect(res.service_node_states).toHaveLength(4);
    expect(Object.keys(res.service_node_states[0]).sort()).toEqual([...NODE_FIELDS].sort());
    expect(res.service_node_states[0]).toEqual({
      service_node_pubkey: nodes[0]!.pubkeyEd25519,
      public_ip: '127.0.0.1',
      storage_port: 8001,
      storage_lmq_port: 0,
      pubkey_ed25519: nodes[0]!.pubkeyEd25519,
      pubkey_x25519: nodes[0]!.pubkeyX25519,
      swarm_id: 0,
      swarm: '0000000000000000',
      storage_server_version: [2, 8, 1],
      requested_unlock_height: 0,
      funded: true,
      active: true,
      role: 'store',
    });
  });

  it('sends swarm ids above 2^53 as strings, and relays with the no-swarm id and no address', () => {
    const states = result({ method: 'get_service_nodes' }).service_node_states;
    expect(states[2].swarm_id).toBe('9223372036854775807');
    expect(states[3]).toMatchObject({ role: 'relay', swarm_id: NO_SWARM_ID, swarm: 'ffffffffffffffff', public_ip: '0.0.0.0', storage_server_version: [0, 0, 0] });
    expect(swarmIdJson('9007199254740991')).toBe(9007199254740991);
    expect(swarmIdJson('9007199254740992')).toBe('9007199254740992');
  });

  it('returns only the requested fields (object or list form)', () => {
    const asObject = result({ method: 'get_n_service_nodes', params: { fields: { public_ip: true, storage_port: true, pubkey_x25519: false } } });
    expect(asObject.service_node_states[0]).toEqual({ public_ip: '127.0.0.1', storage_port: 8001 });
    const asList = result({ method: 'get_n_service_nodes', params: { fields: ['swarm_id', 'unknown_field'] } });
    expect(asList.service_node_states.map((s: any) => s.swarm_id)).toEqual([0, 0, '9223372036854775807', NO_SWARM_ID]);
  });

  it('returns a random subset of `limit` distinct nodes', () => {
    const states = result({ method: 'get_n_service_nodes', params: { limit: 2 } }).service_node_states;
    expect(states).toHaveLength(2);
    expect(new Set(states.map((s: any) => s.pubkey_ed25519)).size).toBe(2);
    expect(result({ method: 'get_n_service_nodes', params: { limit: 10 } }).service_node_states).toHaveLength(4);
  });

  it('answers unchanged for the current hash and the full list for any other', () => {
    const same = result({ method: 'get_n_service_nodes', params: { poll_block_hash: published.hash } });
    expect(same).toMatchObject({ unchanged: true, block_hash: published.hash, height: 7 });
    expect(same.service_node_states).toBeUndefined();
    expect(result({ method: 'get_n_service_nodes', params: { poll_block_hash: 'ab'.repeat(32) } }).service_node_states).toHaveLength(4);
  });

  it('serves an empty list before the first map', () => {
    expect(decoded(answerSeedRequest('{"method":"get_n_service_nodes"}', undefined, seededRandom(1))).body.result).toMatchObject({ service_node_states: [], height: 0 });
  });

  it.each([
    ['not JSON', '{nope', 400, -32700],
    ['JSON nested deeper than 32 levels', `{"method":"get_n_service_nodes","params":{"x":${'['.repeat(40)}${']'.repeat(40)}}}`, 400, -32700],
    ['an array', [1], 400, -32600],
    ['no method', { params: {} }, 400, -32600],
    ['an unknown method', { id: 1, method: 'get_info' }, 200, -32601],
    ['params not an object', { method: 'get_n_service_nodes', params: 5 }, 200, -32602],
    ['a negative limit', { method: 'get_n_service_nodes', params: { limit: -1 } }, 200, -32602],
    ['a fractional limit', { method: 'get_n_service_nodes', params: { limit: 1.5 } }, 200, -32602],
    ['active_only not boolean', { method: 'get_n_service_nodes', params: { active_only: 'yes' } }, 200, -32602],
    ['fields as a string', { method: 'get_n_service_nodes', params: { fields: 'public_ip' } }, 200, -32602],
    ['poll_block_hash as a number', { method: 'get_n_service_nodes', params: { poll_block_hash: 5 } }, 200, -32602],
    ['an id that is an object', { id: { a: 1 }, method: 'get_n_service_nodes' }, 400, -32600],
    ['an id of 257 characters', { id: 'x'.repeat(257), method: 'teleport' }, 400, -32600],
  ])('refuses %s with a JSON-RPC error', (_what, body, status, code) => {
    const r = ask(body);
    expect(r.status).toBe(status);
    expect((r.body.error as { code: number }).code).toBe(code);
    expect(r.body.result).toBeUndefined();
  });

  it('never echoes an id it does not take, so a refusal stays small', () => {
    const r = ask({ id: 'x'.repeat(60_000), method: 'teleport' });
    expect(r.body.id).toBeNull();
    expect(JSON.stringify(r.body).length).toBeLessThan(200);
    expect(ask({ id: 'x'.repeat(256), method: 'teleport' }).body.id).toBe('x'.repeat(256));
  });

  it('says why a body did not parse', () => {
    expect(ask('{nope').body.error).toEqual({ code: -32700, message: 'Parse error: body is not JSON' });
    expect(ask(`[${'['.repeat(32)}${']'.repeat(32)}]`).body.error).toEqual({ code: -32700, message: 'Parse error: JSON nested deeper than 32 levels' });
  });

  it('is POST /json_rpc with an 8 KiB body cap, reading the body as UTF-8 text', async () => {
    const route = seedRoute(() => published);
    expect(route).toMatchObject({ method: 'POST', path: '/json_rpc', maxBodyBytes: 8 * 1024 });
    const body = Buffer.from(JSON.stringify({ id: 'é', method: 'get_n_service_nodes', params: { fields: ['role'] } }));
    const r = decoded(await route.handle({ method: 'POST', path: '/json_rpc', query: '', headers: {}, body }));
    expect(r.body).toMatchObject({ id: 'é', result: { height: 7, service_node_states: [{ role: 'store' }, { role: 'store' }, { role: 'store' }, { role: 'relay' }] } });
  });
});
