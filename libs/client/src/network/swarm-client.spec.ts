// A swarm request whose member cannot be reached goes to another member (each holds the same
// data), and the unreachable one is not asked again; a refusal by a reachable member is final.
import { ClientError } from './errors';
import { NetworkClock } from './network-clock';
import type { OnionClient, SnodeReply } from './onion-client';
import type { ServiceNode } from './service-nodes';
import { SwarmClient } from './swarm-client';

const member = (n: number): ServiceNode => ({ role: 'store', ed25519: String(n).repeat(64), x25519: 'ab'.repeat(32), ip: '127.0.0.1', port: 1000 + n, swarmId: '1' });

function swarmClient(answer: (node: ServiceNode, method: string) => SnodeReply): { client: SwarmClient; asked: string[] } {
  const asked: string[] = [];
  const swarm = { swarm: '1', snodes: [1, 2, 3].map((n) => ({ pubkey_ed25519: member(n).ed25519, pubkey_x25519: member(n).x25519, ip: '127.0.0.1', port_https: 1000 + n })) };
  const onion = {
    snodeRpc: async (node: ServiceNode, method: string) => {
      if (method === 'get_swarm') return { status: 200, body: swarm };
      asked.push(node.ed25519[0]!);
      return answer(node, method);
    },
  } as unknown as OnionClient;
  return { client: new SwarmClient(onion, () => [member(9)], new NetworkClock()), asked };
}

describe('swarm requests', () => {
  it('go to another member when one cannot be reached, and forget the unreachable one', async () => {
    const { client, asked } = swarmClient((node) => {
      if (node.ed25519.startsWith('1')) throw new ClientError('cannot reach storage node 1111 through the onion network: path answered 502 Next node not found');
      return { status: 200, body: { hash: 'h' } };
    });
    const reply = await client.request('05' + 'cd'.repeat(32), 'store', () => ({}), member(1));
    expect(reply).toEqual({ status: 200, body: { hash: 'h' } });
    expect(asked[0]).toBe('1');
    expect((await client.swarmOf('05' + 'cd'.repeat(32))).map((m) => m.ed25519[0])).toEqual(['2', '3']);
  });

  it('give up with the reachability error once every attempt failed, and pass other errors on', async () => {
    const down = swarmClient(() => {
      throw new ClientError('cannot reach storage node through the onion network');
    });
    await expect(down.client.request('05' + 'cd'.repeat(32), 'retrieve', () => ({}))).rejects.toThrow(/cannot reach storage node/);
    expect(down.asked).toHaveLength(3);
    const broken = swarmClient(() => {
      throw new ClientError('bad input', 'input');
    });
    await expect(broken.client.request('05' + 'cd'.repeat(32), 'retrieve', () => ({}))).rejects.toThrow('bad input');
    expect(broken.asked).toHaveLength(1);
  });
});
