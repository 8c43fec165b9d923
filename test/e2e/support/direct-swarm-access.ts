// The client SDK's SwarmAccess over plain HTTP to storage node processes, for network tests that
// run before relays exist: the same storage RPCs, signatures, hashes and signed receipts as
// through an onion path, only without the three hops.
import { NetworkClock, parseSwarm, type ServiceNode, type SnodeReply, type SwarmAccess } from '@starling/client';
import type { NodeProcess } from './swarm-store-process';

export class DirectSwarmAccess implements SwarmAccess {
  readonly clock = new NetworkClock();

  constructor(private readonly nodes: readonly NodeProcess[]) {}

  async swarmOf(pubkey: string): Promise<ServiceNode[]> {
    const reply = await this.call(this.nodes[0]!, 'get_swarm', { pubkey });
    const members = parseSwarm(reply.body);
    if (members.length === 0) throw new Error(`no swarm for ${pubkey}: ${JSON.stringify(reply.body)}`);
    return members;
  }

  async request(pubkey: string, method: string, params: () => Record<string, unknown>, node?: ServiceNode): Promise<SnodeReply> {
    const members = await this.swarmOf(pubkey);
    const target = node ?? members[0]!;
    const process = this.nodes.find((n) => n.ed25519 === target.ed25519);
    if (!process) throw new Error(`no process for swarm member ${target.ed25519}`);
    return this.call(process, method, params());
  }

  private async call(node: NodeProcess, method: string, params: unknown): Promise<SnodeReply> {
    const res = await node.rpc(method, params);
    const body = res.json ?? res.text;
    if (typeof body === 'object' && body !== null) this.clock.observe((body as { t?: unknown }).t);
    return { status: res.status, body };
  }
}
