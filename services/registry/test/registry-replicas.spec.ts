// Two replicas against one PostgreSQL schema: one leads, both serve, the other takes over when
// the leader goes. Needs a server, so it runs only when DATABASE_URL is set (CI sets it).
import { ready } from '@starling/crypto';
import { eventually } from '@starling/platform';
import { registryBackends } from './support/registry-backends';
import { registryClient, TestNode } from './support/test-node';

const pg = registryBackends().filter((b) => b.name === 'pg');
const describeWithPg = pg.length > 0 ? describe : describe.skip;

describeWithPg('registry replicas on PostgreSQL', () => {
  beforeAll(() => ready());

  it('elects one leader, serves the same map from both, and fails over when the leader stops', async () => {
    const backend = pg[0]!.create();
    const nodes: TestNode[] = [];
    try {
      const a = await backend.start();
      const b = await backend.start();
      await eventually(() => expect([a.isLeader(), b.isLeader()].filter(Boolean)).toHaveLength(1), 10_000);
      expect(a.identity.publicKeyHex).toBe(b.identity.publicKeyHex);
      const [leader, follower] = a.isLeader() ? [a, b] : [b, a];

      // A node announcing through the follower still gets into the map, and both serve it.
      const viaFollower = registryClient(`127.0.0.1:${follower.grpcPort}`);
      const viaLeader = registryClient(`127.0.0.1:${leader.grpcPort}`);
      const first = new TestNode();
      nodes.push(first);
      await first.listen();
      await viaFollower.announce(first.announcement());
      for (const c of [viaFollower, viaLeader]) {
        await eventually(async () => expect((await c.getNetworkMap({})).map!.nodes.map((n) => n.pubkeyEd25519)).toEqual([first.pubkeyEd25519]), 10_000);
      }
      viaLeader.close();

      await leader.close();
      await eventually(() => expect(follower.isLeader()).toBe(true), 10_000);
      const second = new TestNode();
      nodes.push(second);
      await second.listen();
      await viaFollower.announce(second.announcement());
      await eventually(async () => {
        const listed = (await viaFollower.getNetworkMap({})).map!.nodes.map((n) => n.pubkeyEd25519);
        expect(listed.sort()).toEqual([first.pubkeyEd25519, second.pubkeyEd25519].sort());
      }, 10_000);
      viaFollower.close();
    } finally {
      for (const n of nodes) n.stopServer();
      await backend.cleanup();
    }
  });
});
