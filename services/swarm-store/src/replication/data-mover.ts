// Bulk moves of accounts to other nodes: their stored messages, namespace included, and their
// revocation lists (a member must refuse a revoked token like every other). To a member that just
// joined this swarm (it must hold everything the swarm holds) and to the new owners of accounts
// that left this swarm. Pushes that cannot be delivered go to the durable retry queue.
import type { Logger } from '@starling/platform';
import type { SwarmMember } from '@starling/membership';
import type { MessageStore, StoredMessage } from '../storage/message-store';
import type { HeldRevocation, RevocationStore } from '../storage/revocation-store';
import type { PeerClients } from './peer-client';
import type { DbReplicationQueue } from './retry-queue';

const PAGE_ROWS = 200;
const PAGE_BYTES = 8 * 1024 * 1024; // below the 16 MiB gRPC message limit
/** Accounts whose revocation lists go in one push (at most 50 each, ~80 bytes apiece). */
const REVOCATION_OWNERS_PER_PUSH = 1_000;

export class DataMover {
  constructor(
    private readonly store: MessageStore,
    private readonly revocations: RevocationStore,
    private readonly peers: PeerClients,
    private readonly queue: DbReplicationQueue,
    private readonly logger: Logger,
  ) {}

  /** Pushes the revocation lists and every live message of `owners` to each target node. */
  async pushOwners(owners: readonly Buffer[], targets: readonly SwarmMember[]): Promise<number> {
    if (owners.length === 0 || targets.length === 0) return 0;
    for (let i = 0; i < owners.length; i += REVOCATION_OWNERS_PER_PUSH) {
      const revocations = await this.revocations.ofOwners(owners.slice(i, i + REVOCATION_OWNERS_PER_PUSH));
      if (revocations.length > 0) await Promise.all(targets.map((t) => this.deliverRevocations(t, revocations)));
    }
    let afterId = '0';
    let moved = 0;
    for (;;) {
      const page = await this.store.pageOfOwners(owners, afterId, PAGE_ROWS);
      if (page.messages.length === 0) return moved;
      afterId = page.lastId;
      const now = Date.now();
      const live = page.messages.filter((m) => m.expiryMs > now);
      for (const chunk of byBytes(live)) {
        await Promise.all(targets.map((t) => this.deliver(t, chunk, now)));
        moved += chunk.length;
      }
    }
  }

  private async deliverRevocations(target: SwarmMember, revocations: HeldRevocation[]): Promise<void> {
    try {
      await this.peers.push(target, [], revocations);
    } catch (err) {
      this.logger.debug({ peer: target.ed25519, count: revocations.length, err: (err as Error).message }, 'revocation push failed; queued for retry');
      const owners = new Map(revocations.map((r) => [r.owner.toString('hex'), r.owner]));
      await this.queue.enqueueRevocations(target.ed25519, [...owners.values()], Date.now());
    }
  }

  private async deliver(target: SwarmMember, chunk: StoredMessage[], now: number): Promise<void> {
    try {
      await this.peers.push(target, chunk);
    } catch (err) {
      this.logger.debug({ peer: target.ed25519, count: chunk.length, err: (err as Error).message }, 'push failed; queued for retry');
      await this.queue.enqueuePush(target.ed25519, chunk.map((m) => m.hash), now);
    }
  }
}

function byBytes(messages: StoredMessage[]): StoredMessage[][] {
  const chunks: StoredMessage[][] = [];
  let current: StoredMessage[] = [];
  let size = 0;
  for (const m of messages) {
    if (current.length > 0 && size + m.data.length > PAGE_BYTES) {
      chunks.push(current);
      current = [];
      size = 0;
    }
    current.push(m);
    size += m.data.length;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}
