// A node that joins a swarm receives all of the swarm's messages, namespaces included, and serves
// them.
import { ready } from '@starling/crypto';
import { eventually } from '@starling/platform';
import { SessionAccount } from './support/session-account';
import { SwarmNetwork } from './support/swarm-network';

let net: SwarmNetwork;

beforeAll(async () => {
  await ready();
  net = await SwarmNetwork.start(2);
  for (const n of net.nodes) await net.waitForSwarm(n, new SessionAccount().sessionId, net.nodes);
});
afterAll(() => net.stop());

it('a new member gets every message with its namespace and serves them', async () => {
  const [a, b] = net.nodes;
  const accounts = Array.from({ length: 4 }, () => new SessionAccount());
  const stored: { account: SessionAccount; namespace: number; hash: string }[] = [];
  for (const account of accounts) {
    for (const namespace of [0, 3, -21]) {
      const res = await a!.rpc('store', account.store(`ns ${namespace}`, { namespace }));
      expect(res.status).toBe(200);
      stored.push({ account, namespace, hash: res.json.hash });
    }
  }
  const joiner = await net.addNode();
  await net.waitForSwarm(joiner, accounts[0]!.sessionId, [a!, b!, joiner]);
  await eventually(async () => {
    for (const s of stored) {
      const res = await joiner.rpc('retrieve', s.account.retrieve({ namespace: s.namespace }));
      expect(res.status).toBe(200);
      expect(res.json.messages.map((m: { hash: string }) => m.hash)).toContain(s.hash);
    }
  }, 60_000);
  // Nothing landed in the wrong namespace (upstream lost namespaces in bootstrap until 2.11.3).
  const inbox = await joiner.rpc('retrieve', accounts[0]!.retrieve({ namespace: 0 }));
  expect(inbox.json.messages).toHaveLength(1);
});
