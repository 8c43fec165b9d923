// Recursive execution (storage-onion 1.7): the entry node checks a request, forwards it to every
// other member of its swarm while applying it locally, and merges each member's signed result
// under swarm[ed25519]. A member that cannot be reached gets the work through the durable
// replication queue instead of missing it.
import type { SwarmMember } from '@starling/membership';
import type { Logger } from '@starling/platform';
import type { MemberResult, NodeServices, RecursiveMethod, RpcContext, RpcResult } from '../rpc/method';
import { isObject, type JsonObject, type Params } from '../rpc/params';
import { RpcError } from '../rpc/rpc-error';
import type { PeerForwarder, ReplicationQueue } from './peer-forwarding';
import type { ReplicationMetrics } from './replication-metrics';

export class SwarmFanout {
  constructor(
    private readonly node: NodeServices,
    private readonly forwarder: PeerForwarder,
    private readonly queue: ReplicationQueue,
    private readonly metrics: ReplicationMetrics,
    private readonly logger: Logger,
  ) {}

  async run<P>(method: RecursiveMethod<P>, params: Params, rawParams: JsonObject, ctx: RpcContext): Promise<RpcResult> {
    const prepared = await method.prepare(params, ctx);
    if (ctx.forwarded) return { status: 200, body: await method.apply(prepared, ctx) };

    const peers = this.node.swarm().peers();
    const paramsJson = peers.length > 0 ? JSON.stringify(rawParams) : ''; // what peers are sent
    const remote = peers.map((peer) => this.forwardTo(peer, method.name, paramsJson, ctx.nowMs, prepared));
    const local = method.apply(prepared, ctx).catch((err) => failure(err));
    const swarm: Record<string, MemberResult> = { [this.node.identity.ed25519Hex]: await local };
    const answers = await Promise.all(remote);
    peers.forEach((peer, i) => (swarm[peer.ed25519] = answers[i]!));

    const finished = method.finish?.(prepared, swarm);
    if (finished) return finished;
    const anyOk = Object.values(swarm).some((r) => r.failed !== true);
    return anyOk ? { status: 200, body: { swarm } } : { status: 500, body: 'request failed on every swarm member' };
  }

  private async forwardTo<P>(peer: SwarmMember, method: string, paramsJson: string, receivedMs: number, prepared: P): Promise<MemberResult> {
    const started = Date.now();
    try {
      const answer = await this.forwarder.forward(peer, method, paramsJson, receivedMs);
      this.metrics.sends.inc({ method, outcome: answer.status === 200 ? 'ok' : 'refused' });
      this.metrics.lag.observe((Date.now() - started) / 1000);
      if (answer.status !== 200) {
        // The peer is up but could not apply it (e.g. it is full): retry data it should hold.
        if (answer.status >= 500) await this.requeue(peer, method, paramsJson, receivedMs, prepared);
        return { failed: true, code: answer.status, reason: answer.body };
      }
      let body: unknown;
      try {
        body = JSON.parse(answer.body);
      } catch {
        body = undefined;
      }
      return isObject(body) ? body : { failed: true, bad_peer_response: true };
    } catch (err) {
      this.metrics.sends.inc({ method, outcome: 'unreachable' });
      this.metrics.failures.inc({ method });
      this.logger.debug({ peer: peer.ed25519, method, err: (err as Error).message }, 'swarm peer unreachable; queued for retry');
      await this.requeue(peer, method, paramsJson, receivedMs, prepared);
      return { failed: true, timeout: true };
    }
  }

  private async requeue<P>(peer: SwarmMember, method: string, paramsJson: string, receivedMs: number, prepared: P): Promise<void> {
    try {
      const hash = (prepared as { hash?: unknown }).hash;
      if (method === 'store' && typeof hash === 'string') await this.queue.enqueuePush(peer.ed25519, [hash], receivedMs);
      else await this.queue.enqueueForward(peer.ed25519, method, paramsJson, receivedMs);
    } catch (err) {
      this.logger.error({ err, peer: peer.ed25519, method }, 'could not queue replication for retry');
    }
  }
}

function failure(err: unknown): MemberResult {
  if (err instanceof RpcError) return { failed: true, code: err.status, reason: err.message };
  return { failed: true, query_failure: true };
}
