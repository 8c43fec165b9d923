// A member killed with SIGKILL while a client stores loses none of the acknowledged messages:
// every store answered 200 was durable on at least two members, and the swarm converges again
// once the killed member is back.
import { ready } from '@starling/crypto';
import { eventually } from '@starling/platform';
import { SessionAccount } from './support/session-account';
import { SwarmNetwork } from './support/swarm-network';
import type { NodeProcess } from './support/swarm-store-process';

let net: SwarmNetwork;

beforeAll(async () => {
  await ready();
  net = await SwarmNetwork.start(3);
  for (const n of net.nodes) await net.waitForSwarm(n, new SessionAccount().sessionId, net.nodes);
});
afterAll(() => net.stop());

async function heldOn(node: NodeProcess, account: SessionAccount): Promise<Set<string>> {
  const hashes = new Set<string>();
  let last: string | undefined;
  for (;;) {
    const res = await node.rpc('retrieve', account.retrieve({ max_count: 500, ...(last ? { last_hash: last } : {}) }));
    if (res.status !== 200) throw new Error(`retrieve ${res.status}`);
    for (const m of res.json.messages) hashes.add(m.hash);
    if (!res.json.more) return hashes;
    last = res.json.messages.at(-1).hash;
  }
}

it('keeps every acknowledged store when the entry member is SIGKILLed mid-stream', async () => {
  const [a, b, c] = net.nodes as [NodeProcess, NodeProcess, NodeProcess];
  const account = new SessionAccount();
  const acknowledged: string[] = [];
  let refused = 0;
  let killed = false;
  const client = async (entry: NodeProcess, from: number) => {
    for (let i = from; i < from + 150; i++) {
      try {
        const res = await entry.rpc('store', account.store(`message ${i}`));
        if (res.status === 200) acknowledged.push(res.json.hash);
        else refused++;
      } catch {
        refused++; // connection refused or reset: not acknowledged, the client would retry
      }
      if (!killed && acknowledged.length >= 60) {
        killed = true;
        b.child.kill('SIGKILL');
      }
    }
  };
  // Two clients: one through the member that dies, one through a survivor.
  await Promise.all([client(b, 0), client(a, 1000)]);
  expect(killed).toBe(true);
  expect(acknowledged.length).toBeGreaterThan(150);

  // Survivors already hold every acknowledged message between them... and each of them alone
  // once the retry queues have run.
  await eventually(async () => {
    for (const n of [a, c]) {
      const held = await heldOn(n, account);
      expect(acknowledged.filter((h) => !held.has(h))).toEqual([]);
    }
  }, 60_000);

  // The killed member comes back with its data folder and catches up on what it missed.
  const again = await net.addNode({ dataDir: b.dataDir, schema: b.schema });
  expect(again.ed25519).toBe(b.ed25519);
  await eventually(async () => {
    const held = await heldOn(again, account);
    expect(acknowledged.filter((h) => !held.has(h))).toEqual([]);
  }, 60_000);
  console.info(`acknowledged ${acknowledged.length}, not acknowledged ${refused}, all acknowledged held by every member`);
});
