// A small storage network for the swarm-store network tests: the in-test registry plus node
// processes, with helpers to wait until every node follows the same map.
import { eventually } from '@starling/platform';
import { MiniRegistry } from './mini-registry';
import { removeNodeData, startNodeProcess, type NodeProcess } from './swarm-store-process';

export class SwarmNetwork {
  readonly registry = new MiniRegistry();
  readonly nodes: NodeProcess[] = [];

  static async start(count: number): Promise<SwarmNetwork> {
    const net = new SwarmNetwork();
    await net.registry.start();
    await Promise.all(Array.from({ length: count }, () => net.addNode()));
    return net;
  }

  async addNode(opts: Parameters<typeof startNodeProcess>[1] = {}): Promise<NodeProcess> {
    const node = await startNodeProcess(this.registry.address, opts);
    this.nodes.push(node);
    await eventually(() => {
      if (!this.registry.nodeKeys().includes(node.ed25519)) throw new Error('not announced yet');
    }, 30_000);
    return node;
  }

  /** Waits until `node` places `account` in a swarm with exactly these members. */
  async waitForSwarm(node: NodeProcess, sessionId: string, members: readonly NodeProcess[]): Promise<void> {
    const want = members.map((m) => m.ed25519).sort();
    await eventually(async () => {
      const res = await node.rpc('get_swarm', { pubkey: sessionId });
      const got = (res.json?.snodes ?? []).map((s: { pubkey_ed25519: string }) => s.pubkey_ed25519).sort();
      if (JSON.stringify(got) !== JSON.stringify(want)) throw new Error(`swarm is ${got.join(',')}`);
    }, 30_000);
  }

  async stop(): Promise<void> {
    await Promise.all(this.nodes.map((n) => n.kill('SIGTERM')));
    await this.registry.stop();
    for (const n of this.nodes) await removeNodeData(n);
  }
}
