// Storage RPCs addressed to an account's swarm: finds the swarm (get_swarm through the onion),
// picks a member, follows 421 to the right swarm, and keeps the network clock from replies.
import { randomInt } from 'crypto';
import { ClientError } from './errors';
import { NetworkClock } from './network-clock';
import { OnionClient, SnodeReply } from './onion-client';
import { ServiceNode } from './service-nodes';

const ATTEMPTS = 3;

export class SwarmClient {
  private swarms = new Map<string, ServiceNode[]>();

  constructor(
    private readonly onion: OnionClient,
    private readonly storeNodes: () => ServiceNode[],
    readonly clock: NetworkClock,
  ) {}

  /** The members of `pubkey`'s swarm (cached until a 421 says otherwise). */
  async swarmOf(pubkey: string): Promise<ServiceNode[]> {
    const cached = this.swarms.get(pubkey);
    if (cached && cached.length > 0) return cached;
    const stores = this.storeNodes();
    if (stores.length === 0) throw new ClientError('the network lists no storage nodes');
    const reply = await this.onion.snodeRpc(stores[randomInt(stores.length)], 'get_swarm', { pubkey });
    this.observe(reply);
    if (reply.status !== 200) throw new ClientError(`get_swarm failed: ${reply.status} ${describe(reply.body)}`);
    const members = parseSwarm(reply.body);
    if (members.length === 0) throw new ClientError(`no swarm serves ${pubkey.slice(0, 10)}… yet`);
    this.swarms.set(pubkey, members);
    return members;
  }

  /**
   * Sends `method` to a member of `pubkey`'s swarm. `params` is called for every attempt so that
   * signatures use the current network time. Returns the first reply that is not a 421. A member
   * that cannot be reached is forgotten and another one asked: every member holds the same data.
   */
  async request(pubkey: string, method: string, params: () => Record<string, unknown>, node?: ServiceNode): Promise<SnodeReply> {
    let clockCorrected = false;
    let unreachable: ClientError | undefined;
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      const members = await this.swarmOf(pubkey);
      const target = node && attempt === 0 ? node : members[randomInt(members.length)];
      let reply: SnodeReply;
      try {
        reply = await this.onion.snodeRpc(target, method, params());
      } catch (err) {
        if (!(err instanceof ClientError) || err.kind !== 'network') throw err;
        this.forget(pubkey, target.ed25519);
        unreachable = err;
        continue;
      }
      this.observe(reply);
      if (reply.status === 421) {
        const moved = parseSwarm(reply.body);
        if (moved.length > 0) this.swarms.set(pubkey, moved);
        else this.swarms.delete(pubkey);
        continue;
      }
      if (reply.status === 406 || reply.status === 425) {
        // Our clock is off: learn the node's time once (`info` carries it) and sign again.
        if (clockCorrected) throw new ClientError('the storage node refused our clock even after correcting it: check this computer\'s time', 'clock');
        clockCorrected = true;
        this.observe(await this.onion.snodeRpc(target, 'info', {}));
        attempt--;
        continue;
      }
      return reply;
    }
    throw unreachable ?? new ClientError(`the swarm of ${pubkey.slice(0, 10)}… kept moving (421)`);
  }

  /** Forget a member that failed, so the next request picks another. */
  forget(pubkey: string, ed25519: string): void {
    const members = this.swarms.get(pubkey);
    if (members) this.swarms.set(pubkey, members.filter((m) => m.ed25519 !== ed25519));
  }

  private observe(reply: SnodeReply): void {
    if (typeof reply.body === 'object' && reply.body !== null) this.clock.observe((reply.body as { t?: unknown }).t);
  }
}

export function parseSwarm(body: unknown): ServiceNode[] {
  const snodes = typeof body === 'object' && body !== null ? (body as { snodes?: unknown }).snodes : undefined;
  const swarmId = typeof body === 'object' && body !== null ? (body as { swarm?: unknown }).swarm : undefined;
  if (!Array.isArray(snodes)) return [];
  return snodes.flatMap((s: Record<string, unknown>) => {
    const port = Number(s.port_https ?? s.port);
    if (typeof s.pubkey_ed25519 !== 'string' || typeof s.pubkey_x25519 !== 'string' || typeof s.ip !== 'string' || !Number.isInteger(port)) return [];
    return [
      {
        role: 'store' as const,
        ed25519: s.pubkey_ed25519.toLowerCase(),
        x25519: s.pubkey_x25519.toLowerCase(),
        ip: s.ip,
        port,
        swarmId: typeof swarmId === 'string' ? BigInt(`0x${swarmId}`).toString() : '0',
      },
    ];
  });
}

function describe(body: unknown): string {
  return typeof body === 'string' ? body : JSON.stringify(body).slice(0, 200);
}
