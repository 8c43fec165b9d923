// The durable replication queue: what a swarm peer could not take when it was sent (down,
// restarting, overloaded) is kept in the database and retried with backoff until the peer takes
// it, so a member that was down catches up on every acknowledged write. Items name messages
// (pushed as data), accounts whose revocation lists must be pushed, or recursive requests.
import type { Database, Logger } from '@starling/platform';
import type { SwarmView } from '@starling/membership';
import type { MessageStore } from '../storage/message-store';
import type { RevocationStore } from '../storage/revocation-store';
import type { NodeMetrics } from '../node-metrics';
import type { ReplicationQueue } from './peer-forwarding';
import type { PeerClients } from './peer-client';

interface QueueRow {
  id: string;
  peer_ed25519: string;
  kind: 'push' | 'forward' | 'revocations';
  hash: string | null;
  owner: Buffer | null;
  method: string | null;
  params_json: string | null;
  received_ms: string;
  attempts: number;
}

const MAX_BACKOFF_MS = 30_000;
const BATCH = 500;

export class DbReplicationQueue implements ReplicationQueue {
  constructor(
    private readonly db: Database,
    private readonly retryIntervalMs: number,
  ) {}

  async enqueuePush(peer: string, hashes: readonly string[], receivedMs: number): Promise<void> {
    await this.enqueueEach(peer, { kind: 'push', column: 'hash', type: 'text' }, hashes, receivedMs);
  }

  /** The peer still needs these accounts' revocation lists (sent as they are at retry time). */
  async enqueueRevocations(peer: string, owners: readonly Buffer[], receivedMs: number): Promise<void> {
    await this.enqueueEach(peer, { kind: 'revocations', column: 'owner', type: 'bytea' }, owners, receivedMs);
  }

  /** One item per value: message hashes to push, or accounts whose revocations to push. */
  private async enqueueEach(
    peer: string,
    item: { kind: 'push' | 'revocations'; column: 'hash' | 'owner'; type: 'text' | 'bytea' },
    values: readonly (string | Buffer)[],
    receivedMs: number,
  ): Promise<void> {
    if (values.length === 0) return;
    await this.db.query(
      `INSERT INTO replication_queue (peer_ed25519, kind, ${item.column}, received_ms, next_attempt_ms)
       SELECT $1, $2, v, $4, $5 FROM unnest($3::${item.type}[]) AS v`,
      [peer, item.kind, values, String(receivedMs), String(Date.now() + this.retryIntervalMs)],
    );
  }

  async enqueueForward(peer: string, method: string, paramsJson: string, receivedMs: number): Promise<void> {
    await this.db.query(
      `INSERT INTO replication_queue (peer_ed25519, kind, method, params_json, received_ms, next_attempt_ms)
       VALUES ($1, 'forward', $2, $3, $4, $5)`,
      [peer, method, paramsJson, String(receivedMs), String(Date.now() + this.retryIntervalMs)],
    );
  }

  async depth(): Promise<number> {
    const res = await this.db.query<{ n: string }>('SELECT count(*) AS n FROM replication_queue');
    return Number(res.rows[0]!.n);
  }

  due(nowMs: number): Promise<QueueRow[]> {
    return this.db
      .query<QueueRow>('SELECT * FROM replication_queue WHERE next_attempt_ms <= $1 ORDER BY id LIMIT $2', [String(nowMs), BATCH])
      .then((r) => r.rows);
  }

  async done(ids: readonly string[]): Promise<void> {
    if (ids.length > 0) await this.db.query('DELETE FROM replication_queue WHERE id = ANY($1::bigint[])', [ids]);
  }

  async later(ids: readonly string[], nowMs: number, attempts: number): Promise<void> {
    if (ids.length === 0) return;
    const backoff = Math.min(MAX_BACKOFF_MS, this.retryIntervalMs * 2 ** Math.min(attempts, 10));
    await this.db.query('UPDATE replication_queue SET attempts = attempts + 1, next_attempt_ms = $2 WHERE id = ANY($1::bigint[])', [ids, String(nowMs + backoff)]);
  }
}

/** Works through due queue items, grouped per peer. */
export class ReplicationRetrier {
  private running = false;

  constructor(
    private readonly queue: DbReplicationQueue,
    private readonly store: MessageStore,
    private readonly revocations: RevocationStore,
    private readonly peers: PeerClients,
    private readonly view: () => SwarmView,
    private readonly metrics: NodeMetrics,
    private readonly logger: Logger,
  ) {}

  async runOnce(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      const now = Date.now();
      const rows = await this.queue.due(now);
      const byPeer = new Map<string, QueueRow[]>();
      for (const r of rows) byPeer.set(r.peer_ed25519, [...(byPeer.get(r.peer_ed25519) ?? []), r]);
      await Promise.all([...byPeer].map(([peer, items]) => this.retryPeer(peer, items, now)));
      this.metrics.replicationQueued.set(await this.queue.depth());
    } catch (err) {
      this.logger.error({ err }, 'replication retry round failed');
    } finally {
      this.running = false;
    }
  }

  private async retryPeer(peerKey: string, items: QueueRow[], now: number): Promise<void> {
    const peer = this.view().nodes.get(peerKey);
    // A peer that left the map will not come back for this work: the swarm hand-over covers it.
    if (!peer) return this.queue.done(items.map((i) => i.id));
    const attempts = Math.max(...items.map((i) => i.attempts));
    const pushes = items.filter((i) => i.kind === 'push');
    await this.retryPush(pushes, 'push', now, attempts, async () => {
      const messages = (await this.store.messagesByHash(pushes.map((p) => p.hash!))).filter((m) => m.expiryMs > now);
      if (messages.length > 0) await this.peers.push(peer, messages);
    });
    const lists = items.filter((i) => i.kind === 'revocations');
    await this.retryPush(lists, 'revocations', now, attempts, async () => {
      const revocations = await this.revocations.ofOwners(lists.map((l) => l.owner!));
      if (revocations.length > 0) await this.peers.push(peer, [], revocations);
    });
    for (const f of items.filter((i) => i.kind === 'forward')) {
      try {
        const answer = await this.peers.forward(peer, f.method!, f.params_json!, Number(f.received_ms));
        // 5xx: the peer is up but failing; anything else is its final word on the request.
        if (answer.status >= 500) await this.queue.later([f.id], now, f.attempts);
        else {
          this.metrics.sends.inc({ method: f.method!, outcome: answer.status === 200 ? 'ok' : 'refused' });
          this.metrics.lag.observe((Date.now() - Number(f.received_ms)) / 1000);
          await this.queue.done([f.id]);
        }
      } catch {
        this.metrics.failures.inc({ method: f.method! });
        await this.queue.later([f.id], now, f.attempts);
      }
    }
  }

  /** Sends a peer what these queue items name, as data read now; done when it took it, later if not. */
  private async retryPush(items: QueueRow[], method: 'push' | 'revocations', now: number, attempts: number, send: () => Promise<void>): Promise<void> {
    if (items.length === 0) return;
    try {
      await send();
      for (const i of items) this.metrics.lag.observe((Date.now() - Number(i.received_ms)) / 1000);
      this.metrics.sends.inc({ method, outcome: 'ok' }, items.length);
      await this.queue.done(items.map((i) => i.id));
    } catch {
      this.metrics.failures.inc({ method });
      await this.queue.later(items.map((i) => i.id), now, attempts);
    }
  }
}
