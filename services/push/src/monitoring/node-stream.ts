// One Monitor stream to one storage node. Subscriptions go out in requests of bounded size; the
// node's answers, notices and ends come back as events. A stream that breaks (the node restarted
// or was killed) is opened again with backoff, and `opened` tells the owner to send everything
// watched at this node again: a new stream starts with no subscriptions.
import type { Logger } from '@starling/platform';
import { createGrpcClient, swarmstore, type grpc, type GrpcCallObserver, type PromiseClient } from '@starling/proto';
import type { StorageNode } from './swarm-map';

export interface NodeStreamEvents {
  /** A stream is open (the first one, or one after a break): send every subscription for this node. */
  opened(): void;
  notice(notice: swarmstore.MonitorNotice): void;
  /** The node stopped watching an account (it left the node's swarm). */
  ended(account: Buffer): void;
  /** The node refused these subscriptions, with their codes (6: not in its swarm, as it sees the map). */
  refused(refusals: ReadonlyArray<{ account: Buffer; errcode: number }>): void;
}

/** Subscriptions per request: ~200 bytes each, well under upstream's 5 MB batches and gRPC's 4 MiB. */
export const SUBSCRIPTIONS_PER_REQUEST = 1000;
const MAX_BACKOFF_MS = 5_000;

export class NodeStream {
  private readonly client: PromiseClient<typeof swarmstore.SwarmStoreServiceService>;
  private call: grpc.ClientDuplexStream<swarmstore.MonitorRequest, swarmstore.MonitorResponse> | undefined;
  /** The account of each subscription of each unanswered request, in order. */
  private readonly pending = new Map<string, Buffer[]>();
  private nextRequestId = 0;
  private failures = 0;
  private reopenTimer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(
    readonly node: StorageNode,
    private readonly events: NodeStreamEvents,
    private readonly logger?: Logger,
    observe?: GrpcCallObserver,
  ) {
    this.client = createGrpcClient(swarmstore.SwarmStoreServiceService, node.grpcAddress, { observe });
  }

  get isOpen(): boolean {
    return this.call !== undefined;
  }

  open(): void {
    if (this.closed || this.call) return;
    const call = this.client.monitor();
    this.call = call;
    call.on('data', (event: swarmstore.MonitorResponse) => {
      this.failures = 0;
      this.receive(event);
    });
    call.on('error', () => this.broken(call));
    call.on('end', () => this.broken(call));
    this.events.opened();
  }

  /** Sends subscriptions (an unopened or broken stream drops them: `opened` asks for them again). */
  send(subscriptions: ReadonlyArray<{ account: Buffer; subscription: swarmstore.MonitorSubscription }>): void {
    const call = this.call;
    if (!call) return;
    for (let i = 0; i < subscriptions.length; i += SUBSCRIPTIONS_PER_REQUEST) {
      const chunk = subscriptions.slice(i, i + SUBSCRIPTIONS_PER_REQUEST);
      const requestId = String(++this.nextRequestId);
      this.pending.set(requestId, chunk.map((s) => s.account));
      call.write({ requestId, subscriptions: chunk.map((s) => s.subscription) });
    }
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.reopenTimer);
    const call = this.call;
    this.call = undefined;
    call?.cancel();
    this.client.close();
  }

  private receive(event: swarmstore.MonitorResponse): void {
    if (event.notice) this.events.notice(event.notice);
    else if (event.ended) this.events.ended(Buffer.from(event.ended.pubkey));
    else if (event.result) {
      const accounts = this.pending.get(event.result.requestId);
      this.pending.delete(event.result.requestId);
      if (!accounts) return;
      const refusals = event.result.outcomes.flatMap((o, i) => (o.errcode !== 0 && accounts[i] ? [{ account: accounts[i]!, errcode: o.errcode }] : []));
      if (refusals.length > 0) this.events.refused(refusals);
    }
  }

  private broken(call: grpc.ClientDuplexStream<swarmstore.MonitorRequest, swarmstore.MonitorResponse>): void {
    if (call !== this.call) return;
    this.call = undefined;
    this.pending.clear();
    if (this.closed) return;
    this.failures++;
    const delay = Math.min(100 * 2 ** this.failures, MAX_BACKOFF_MS);
    if (this.failures === 3) this.logger?.warn({ node: this.node.ed25519.slice(0, 16) }, 'monitor stream to a storage node keeps failing; retrying');
    this.reopenTimer = setTimeout(() => this.open(), delay);
    this.reopenTimer.unref();
  }
}
