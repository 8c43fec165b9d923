// Clients bootstrap from the registry's seed API: it must list the running storage nodes in
// their swarms, with the upstream shape and the exact content type Session clients require.
import { NO_SWARM_ID } from '@starling/proto';
import { eventually } from '@starling/platform';
import { seedCall, startRegistryTestNetwork, type RegistryTestNetwork } from './support/registry-devnet';

let net: RegistryTestNetwork;

beforeAll(async () => {
  net = await startRegistryTestNetwork({ storeNodes: 6 });
}, 240_000);
afterAll(() => net?.stop());

it('lists every storage node with the upstream fields and content type application/json', async () => {
  const { status, contentType, body } = await seedCall(net.devnet.seedUrl, 'get_n_service_nodes', {
    active_only: true,
    fields: { public_ip: true, storage_port: true, pubkey_x25519: true, pubkey_ed25519: true, requested_unlock_height: true, swarm_id: true, height: true },
  });
  expect(status).toBe(200);
  expect(contentType).toBe('application/json');
  expect(body.result.status).toBe('OK');
  const states: any[] = body.result.service_node_states;
  expect(states.map((s) => s.pubkey_ed25519).sort()).toEqual(net.devnet.stores.map((s) => s.info.pubkey).sort());
  for (const s of states) {
    expect(Object.keys(s).sort()).toEqual(['public_ip', 'pubkey_ed25519', 'pubkey_x25519', 'requested_unlock_height', 'storage_port', 'swarm_id'].sort());
    const store = net.devnet.stores.find((p) => p.info.pubkey === s.pubkey_ed25519)!;
    expect(s.public_ip).toBe('127.0.0.1');
    expect(s.storage_port).toBe(store.spec.httpPort);
    expect(s.pubkey_x25519).toMatch(/^[0-9a-f]{64}$/);
    expect(String(s.swarm_id)).not.toBe(NO_SWARM_ID);
  }
});

it('forms two swarms of three from six nodes with the local sizes', async () => {
  const map = await net.devnet.networkMap();
  const sizes = new Map<string, number>();
  for (const n of map.nodes) sizes.set(n.swarmId, (sizes.get(n.swarmId) ?? 0) + 1);
  expect([...sizes.values()].sort()).toEqual([3, 3]);
});

it('answers unchanged to a poll with the current hash, and the map version as height', async () => {
  const first = await seedCall(net.devnet.seedUrl, 'get_service_nodes');
  const map = await net.devnet.networkMap();
  expect(first.body.result.height).toBe(Number(map.version));
  const again = await seedCall(net.devnet.seedUrl, 'get_service_nodes', { poll_block_hash: first.body.result.block_hash });
  expect(again.body.result.unchanged).toBe(true);
  expect(again.body.result.service_node_states).toBeUndefined();
});

it('shows a new node in the seed list once it has joined', async () => {
  const added = await net.devnet.addStoreNode();
  await eventually(async () => {
    const { body } = await seedCall(net.devnet.seedUrl, 'get_n_service_nodes');
    expect(body.result.service_node_states.map((s: any) => s.pubkey_ed25519)).toContain(added.info.pubkey);
  }, 30_000);
});

it('answers bad requests with JSON-RPC errors, still as application/json', async () => {
  const unknown = await seedCall(net.devnet.seedUrl, 'get_info');
  expect(unknown.contentType).toBe('application/json');
  expect(unknown.body.error.code).toBe(-32601);
  const badLimit = await seedCall(net.devnet.seedUrl, 'get_n_service_nodes', { limit: 'all' });
  expect(badLimit.body.error.code).toBe(-32602);
  const res = await fetch(new URL('json_rpc', net.devnet.seedUrl), { method: 'POST', body: '{"method":' });
  expect(res.status).toBe(400);
  expect(res.headers.get('content-type')).toBe('application/json');
});

it('drains and exits with code 0 on SIGTERM while nodes are watching the map', async () => {
  const registry = net.devnet.registries[0]!;
  const status = await registry.stop(20_000);
  expect(status).toEqual({ code: 0, signal: null });
  expect(await registry.logTail(5)).toContain('shutdown complete');
});
