// The registry takes a storage node out of the map after repeated failed reachability tests,
// not earlier, and lets it back in once it answers again. Heartbeat timeouts are set far out,
// so only the tests can remove it here.
import { eventually } from '@starling/platform';
import { metricValue, startRegistryTestNetwork, type RegistryTestNetwork } from './support/registry-devnet';

let net: RegistryTestNetwork;

beforeAll(async () => {
  net = await startRegistryTestNetwork({
    storeNodes: 3,
    registryEnv: { REGISTRY_HEARTBEAT_TIMEOUT: '10m', REGISTRY_MAX_TEST_FAILURES: '3' },
  });
}, 240_000);
afterAll(() => net?.stop());

const listed = async () => (await net.devnet.networkMap()).nodes.map((n) => n.pubkeyEd25519);

it('removes a killed node after repeated failed tests and admits it again after a restart', async () => {
  const registryOps = net.devnet.registries[0]!.opsUrl;
  const victim = net.devnet.stores[2]!;
  const failedBefore = (await metricValue(registryOps, 'registry_reachability_tests_total', 'result="failed"')) || 0;
  await victim.kill('SIGKILL');

  await eventually(async () => expect(await listed()).not.toContain(victim.info.pubkey), 60_000);
  const failedAfter = await metricValue(registryOps, 'registry_reachability_tests_total', 'result="failed"');
  expect(failedAfter - failedBefore).toBeGreaterThanOrEqual(3);
  expect(await metricValue(registryOps, 'registry_nodes', 'role="store",status="unreachable"')).toBe(1);
  // The others stay listed, in swarms of at least the minimum size.
  const map = await net.devnet.networkMap();
  expect(map.nodes).toHaveLength(2);
  expect(new Set(map.nodes.map((n) => n.swarmId)).size).toBe(1);

  await victim.start();
  await eventually(async () => expect(await listed()).toContain(victim.info.pubkey), 60_000);
  expect(await metricValue(registryOps, 'registry_nodes', 'role="store",status="unreachable"')).toBe(0);
});
