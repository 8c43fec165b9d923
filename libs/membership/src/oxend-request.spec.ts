import { common } from '@starling/proto';
import { answerOxendRequest } from './oxend-request';
import type { ListedNetwork } from './service-node-list';

const node = (n: number, role = common.NodeRole.NODE_ROLE_STORE): common.NodeInfo => ({
  role,
  pubkeyEd25519: n.toString(16).padStart(64, '0'),
  pubkeyX25519: (n + 100).toString(16).padStart(64, '0'),
  grpcAddress: `10.0.0.${n}:22020`,
  publicIp: `10.0.0.${n}`,
  publicPort: 22021,
  swarmId: '42',
  version: '2.8.0',
});
const network: ListedNetwork = { version: 7n, hash: 'ab'.repeat(32), nodes: [node(1), node(2), node(3, common.NodeRole.NODE_ROLE_RELAY)] };

describe('oxend_request', () => {
  it('get_service_nodes lists the map with the fields asked for, as the seed does', () => {
    const answer = answerOxendRequest({ endpoint: 'get_service_nodes', params: { active_only: true, fields: { public_ip: true, storage_port: true, pubkey_ed25519: true, pubkey_x25519: true } } }, network);
    expect(answer.status).toBe(200);
    const result = (answer.body as { result: { service_node_states: unknown[]; height: number; block_hash: string } }).result;
    expect(result.height).toBe(7);
    expect(result.block_hash).toBe('ab'.repeat(32));
    expect(result.service_node_states).toEqual(network.nodes.map((n) => ({ public_ip: n.publicIp, storage_port: 22021, pubkey_ed25519: n.pubkeyEd25519, pubkey_x25519: n.pubkeyX25519 })));
  });

  it('answers an unchanged map for the block hash the caller holds', () => {
    const answer = answerOxendRequest({ endpoint: 'get_service_nodes', params: { poll_block_hash: 'ab'.repeat(32) } }, network);
    expect(answer.body).toMatchObject({ result: { unchanged: true } });
  });

  it('ons_resolve finds no name (no name service yet): a result without encrypted_value', () => {
    expect(answerOxendRequest({ endpoint: 'ons_resolve', params: { type: 0, name_hash: 'AAAA' } }, network)).toEqual({ status: 200, body: { result: {} } });
  });

  it.each([
    [{ endpoint: 'get_info' }, "Invalid oxend endpoint 'get_info'"],
    [{}, "invalid request: required field 'endpoint' missing"],
    ['get_service_nodes', 'invalid request: params must be an object'],
    [{ endpoint: 'get_service_nodes', params: { limit: -1 } }, 'invalid request: limit must be an integer from 0 to 4294967295'],
  ])('refuses %j with 400', (params, reason) => {
    expect(answerOxendRequest(params, network)).toEqual({ status: 400, body: reason });
  });
});
