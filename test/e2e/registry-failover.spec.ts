// Two registry replicas on one PostgreSQL schema: the leader is killed with SIGKILL (its
// advisory lock goes with its connection) and the other replica takes over — it keeps
// publishing the map and admits a new node. PGlite allows one process, so this needs
// DATABASE_URL (CI sets it).
import { eventually } from '@starling/platform';
import { metricValue, seedCall, startRegistryTestNetwork, type RegistryTestNetwork } from './support/registry-devnet';

const withPg = process.env.DATABASE_URL ? describe : describe.skip;

withPg('registry failover', () => {
  let net: RegistryTestNetwork;

  beforeAll(async () => {
    net = await startRegistryTestNetwork({ storeNodes: 2, registryReplicas: 2 });
  }, 240_000);
  afterAll(() => net?.stop());

  it('a follower takes over when the leader is killed', async () => {
    const [a, b] = net.devnet.registries as [typeof net.devnet.registries[0], typeof net.devnet.registries[0]];
    const leaders = async () => [await metricValue(a.opsUrl, 'registry_leader'), await metricValue(b.opsUrl, 'registry_leader')];
    await eventually(async () => expect((await leaders()).sort()).toEqual([0, 1]), 20_000);
    const [leader, follower, followerIndex] = (await leaders())[0] === 1 ? [a, b, 1] : [b, a, 0];
    const before = await net.devnet.networkMap(followerIndex);

    await leader.kill('SIGKILL');
    await eventually(async () => expect(await metricValue(follower.opsUrl, 'registry_leader')).toBe(1), 30_000);

    // The survivor still serves the map and admits a node announcing to it.
    const added = await net.devnet.addStoreNode({ registryIndex: followerIndex });
    await eventually(async () => {
      const map = await net.devnet.networkMap(followerIndex);
      expect(BigInt(map.version)).toBeGreaterThan(BigInt(before.version));
      expect(map.nodes.map((n) => n.pubkeyEd25519)).toContain(added.info.pubkey);
      expect(map.registryPubkey).toBe(before.registryPubkey);
    }, 30_000);
    const seed = await seedCall(follower.httpUrl, 'get_n_service_nodes');
    expect(seed.contentType).toBe('application/json');
    expect(seed.body.result.service_node_states.map((s: any) => s.pubkey_ed25519)).toContain(added.info.pubkey);
  });
});
