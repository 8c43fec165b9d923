// A relay's answers to storage RPCs addressed to it, from a signed map with two swarms.
import { identityFromSeed, ready } from '@starling/crypto';
import { SwarmView } from '@starling/membership';
import { common } from '@starling/proto';
import type { NodeMembership, NodeKeys } from '@starling/service-node';
import { RelayRpc } from './relay-rpc';

const store = (n: number, swarmId: string): common.NodeInfo => ({
  role: common.NodeRole.NODE_ROLE_STORE,
  pubkeyEd25519: n.toString(16).padStart(64, '0'),
  pubkeyX25519: (n + 50).toString(16).padStart(64, '0'),
  grpcAddress: `10.0.0.${n}:22020`,
  publicIp: `10.0.0.${n}`,
  publicPort: 22021,
  swarmId,
  version: '2.8.0',
});
const nodes = [store(1, '100'), store(2, '100'), store(3, '9223372036854775808'), store(4, '9223372036854775808')];
const map = { version: '5', nodes, registryPubkey: '', signature: new Uint8Array(0) };

describe('RelayRpc', () => {
  let rpc: RelayRpc;
  const account = `05${'ab'.repeat(32)}`;
  beforeAll(async () => {
    await ready();
    const keys = identityFromSeed(new Uint8Array(32).fill(3)) as NodeKeys;
    rpc = new RelayRpc({ map } as unknown as NodeMembership, keys);
  });
  const call = (body: unknown, via: 'http' | 'onion' = 'http') => rpc.handleBody(typeof body === 'string' ? body : JSON.stringify(body), via);
  const expectedSwarm = () => {
    const view = SwarmView.fromNodeInfos('ff'.repeat(32), nodes, 5n);
    const id = view.swarmOf(Buffer.from(account, 'hex'))!;
    return { swarm: id.toString(16).padStart(16, '0'), members: view.members(id).map((m) => m.ed25519) };
  };

  it('answers info with the version clients require, and t/hf', async () => {
    const answer = await call({ method: 'info', params: {} });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ version: [2, 8, 0], hf: [19, 4], t: expect.any(Number) });
  });

  it('answers get_swarm from the map, as a storage node would', async () => {
    const answer = await call({ method: 'get_swarm', params: { pubkey: account } });
    const { swarm, members } = expectedSwarm();
    expect(answer.status).toBe(200);
    const body = answer.body as { swarm: string; snodes: { pubkey_ed25519: string }[] };
    expect(body.swarm).toBe(swarm);
    expect(body.snodes.map((s) => s.pubkey_ed25519)).toEqual(members);
  });

  it("answers an account's request with 421 and the account's swarm", async () => {
    const answer = await call({ method: 'retrieve', params: { pubkey: account, namespace: 0 } });
    expect(answer.status).toBe(421);
    expect((answer.body as { swarm: string }).swarm).toBe(expectedSwarm().swarm);
  });

  it('answers oxend_request get_service_nodes with the listed nodes', async () => {
    const answer = await call({ method: 'oxend_request', params: { endpoint: 'get_service_nodes', params: { fields: { pubkey_ed25519: true } } } });
    expect(answer.status).toBe(200);
    const states = (answer.body as { result: { service_node_states: { pubkey_ed25519: string }[] } }).result.service_node_states;
    expect(states.map((s) => s.pubkey_ed25519)).toEqual(nodes.map((n) => n.pubkeyEd25519));
  });

  it('runs batch subrequests one by one, without nesting', async () => {
    const answer = await call({ method: 'batch', params: { requests: [{ method: 'info', params: {} }, { method: 'batch', params: {} }] } });
    const results = (answer.body as { results: { code: number }[] }).results;
    expect(results.map((r) => r.code)).toEqual([200, 400]);
  });

  it.each([
    ['JSON nested 10,000 deep', `{"method":"info","params":${'['.repeat(10_000)}${']'.repeat(10_000)}}`, 'invalid request: JSON nested deeper than 32 levels'],
    ['not JSON', '{"method":', 'invalid request: body is not valid JSON'],
    ['an array', '[]', 'invalid request: expected a JSON object with "method"'],
    ['a method that is not a string', '{"method":7}', 'invalid request: "method" must be a string'],
    ['an unknown method', '{"method":"frobnicate","params":{}}', 'no method frobnicate'],
    ['a bad account id', `{"method":"store","params":{"pubkey":"05ab"}}`, 'invalid request: pubkey must be 66 hex digits'],
  ])('refuses %s with 400 and a reason', async (_name, body, reason) => {
    expect(await call(body)).toEqual({ status: 400, body: reason });
  });

  it('answers an onion request that is not a JSON object with "Invalid json", as storage nodes do', async () => {
    expect(await call('[1,2]', 'onion')).toEqual({ status: 400, body: 'Invalid json' });
  });
});
