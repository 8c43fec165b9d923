// One client's view of the network: the node list from the seed, its onion paths, and the
// clients that send storage RPCs to swarms and v4 requests to servers through those paths.
import { nodeUrl, ServiceNode, fetchServiceNodes } from './service-nodes';
import { HttpOptions, postBytes } from './http';
import { NetworkClock } from './network-clock';
import { OnionClient } from './onion-client';
import { OnionPaths } from './onion-paths';
import { SwarmClient } from './swarm-client';

export interface NetworkOptions {
  seedUrl: string;
  /** Own Session ID: the guard test asks a candidate for this account's swarm. */
  sessionId: string;
  timeoutMs?: number;
  /** Send from this local address (tests give each client its own 127.0.0.x). */
  sourceAddress?: string;
}

export class StarlingNetwork {
  readonly clock = new NetworkClock();
  readonly paths: OnionPaths;
  readonly onion: OnionClient;
  readonly swarm: SwarmClient;
  private nodes: ServiceNode[] = [];
  private readonly http: HttpOptions;

  private constructor(private readonly options: NetworkOptions) {
    const timeoutMs = options.timeoutMs ?? 10_000;
    this.http = { sourceAddress: options.sourceAddress };
    this.paths = new OnionPaths((candidate) => this.testGuard(candidate, timeoutMs));
    this.onion = new OnionClient(this.paths, timeoutMs, 'aes-gcm', this.http);
    this.swarm = new SwarmClient(this.onion, () => this.nodes.filter((n) => n.role === 'store'), this.clock);
  }

  /** Fetches the node list from the seed; nothing else touches the network until a request. */
  static async connect(options: NetworkOptions): Promise<StarlingNetwork> {
    const network = new StarlingNetwork(options);
    await network.refreshNodes();
    return network;
  }

  async refreshNodes(): Promise<void> {
    this.nodes = await fetchServiceNodes(this.options.seedUrl, 5_000, this.http);
    this.paths.setPool(this.nodes.filter((n) => n.role === 'relay'));
  }

  get serviceNodes(): readonly ServiceNode[] {
    return this.nodes;
  }

  /** A guard must answer a direct get_swarm: the one request a client sends outside a path. */
  private async testGuard(candidate: ServiceNode, timeoutMs: number): Promise<boolean> {
    const body = JSON.stringify({ method: 'get_swarm', params: { pubkey: this.options.sessionId } });
    const reply = await postBytes(nodeUrl(candidate, '/storage_rpc/v1'), body, timeoutMs, 'a guard candidate', this.http);
    return reply.status === 200;
  }
}
