// SIGTERM drains: in-flight stores finish and are on disk before the process exits (exit code 0);
// after a restart from the same data folder every acknowledged store is still there.
import { ready } from '@starling/crypto';
import { SessionAccount } from './support/session-account';
import { SwarmNetwork } from './support/swarm-network';

let net: SwarmNetwork;

beforeAll(async () => {
  await ready();
  net = await SwarmNetwork.start(1);
  await net.waitForSwarm(net.nodes[0]!, new SessionAccount().sessionId, net.nodes);
});
afterAll(() => net.stop());

it('acknowledged stores survive a SIGTERM in the middle of a burst', async () => {
  const node = net.nodes[0]!;
  const account = new SessionAccount();
  const exit = new Promise<number | null>((r) => node.child.once('exit', (code) => r(code)));
  const burst = Array.from({ length: 80 }, (_, i) => node.rpc('store', account.store(`burst ${i}`)).catch(() => undefined));
  setTimeout(() => node.child.kill('SIGTERM'), 20);
  const results = await Promise.all(burst);
  const code = await exit;
  if (code !== 0) console.error(node.output().slice(-3000));
  expect(code).toBe(0);
  const acknowledged = results.filter((r) => r?.status === 200).map((r) => r!.json.hash as string);

  const again = await net.addNode({ dataDir: node.dataDir, schema: node.schema });
  await net.waitForSwarm(again, account.sessionId, [again]);
  const held = await again.rpc('retrieve', account.retrieve({ max_count: 500 }));
  const hashes = new Set((held.json.messages as { hash: string }[]).map((m) => m.hash));
  expect(acknowledged.filter((h) => !hashes.has(h))).toEqual([]);
  console.info(`acknowledged before SIGTERM: ${acknowledged.length} of ${results.length}`);
});
