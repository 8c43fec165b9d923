// Group commit: concurrent stores go to PostgreSQL as ONE multi-row INSERT. Per-statement
// overhead, not the disk, limits single-row inserts on this kind of machine (peers-ops 2.2), so
// batching multiplies write throughput. At most `concurrency` commits run at once; stores that
// arrive meanwhile queue for the next one, so batches grow with the load by themselves and an
// idle node commits at once (no fixed wait). A write's promise resolves only after its batch
// committed: the caller may then acknowledge it.
import type { InsertOutcome, MessageStore, StoredMessage } from './message-store';

export class StorageFullError extends Error {
  constructor(readonly capBytes: number) {
    super(`this storage node is full (cap ${capBytes} bytes); try another member of the swarm`);
    this.name = 'StorageFullError';
  }
}

export class AccountQuotaError extends Error {
  constructor(readonly quotaBytes: number) {
    super(`account storage quota of ${quotaBytes} bytes reached; delete or let messages expire first`);
    this.name = 'AccountQuotaError';
  }
}

export interface GroupCommitOptions {
  /** Extra time the first queued write waits for company (0: only writes of the same event-loop turn). */
  delayMs: number;
  /** Commits in flight at once; further writes queue for the next commit. */
  concurrency: number;
  /** A batch this large is written at once. */
  maxRows: number;
  /** Total bytes the node may hold. */
  capBytes: number;
  /** Bytes one account may hold. */
  accountQuotaBytes: number;
  /** Called with the rows and outcome of every committed batch (metrics, held-bytes counter). */
  onCommitted?: (rows: number, insertedBytes: number) => void;
  /** Called with the messages a committed batch stored for the first time (not duplicates). */
  onInserted?: (messages: StoredMessage[]) => void;
}

interface Pending {
  message: StoredMessage;
  resolve: (outcome: InsertOutcome) => void;
  reject: (err: Error) => void;
}

export class GroupCommitWriter {
  private queue: Pending[] = [];
  private scheduled: { cancel(): void } | undefined;
  private readonly inFlight = new Set<Promise<void>>();
  private closed = false;
  /** Bytes held, kept current between periodic recounts (see setHeldBytes). */
  private heldBytes = 0;

  constructor(
    private readonly store: MessageStore,
    private readonly options: GroupCommitOptions,
  ) {}

  setHeldBytes(bytes: number): void {
    this.heldBytes = bytes;
  }

  get queued(): number {
    return this.queue.length;
  }

  write(message: StoredMessage): Promise<InsertOutcome> {
    if (this.closed) return Promise.reject(new Error('storage is shutting down'));
    return new Promise((resolve, reject) => {
      this.queue.push({ message, resolve, reject });
      if (this.queue.length >= this.options.maxRows) this.flushNow();
      else if (this.inFlight.size < this.options.concurrency) this.schedule();
      // else: the next commit to finish takes it.
    });
  }

  private schedule(): void {
    if (this.scheduled) return;
    const flush = () => this.flushNow();
    if (this.options.delayMs > 0) {
      const timer = setTimeout(flush, this.options.delayMs);
      this.scheduled = { cancel: () => clearTimeout(timer) };
    } else {
      const immediate = setImmediate(flush);
      this.scheduled = { cancel: () => clearImmediate(immediate) };
    }
  }

  /** Writes everything queued and waits for every batch in flight. */
  async flush(): Promise<void> {
    this.flushNow();
    await Promise.all([...this.inFlight]);
  }

  /** Refuses new writes, then flushes (graceful shutdown). */
  async close(): Promise<void> {
    this.closed = true;
    await this.flush();
  }

  private flushNow(): void {
    this.scheduled?.cancel();
    this.scheduled = undefined;
    if (this.queue.length === 0) return;
    const batch = this.queue;
    this.queue = [];
    const run = this.commit(batch).finally(() => {
      this.inFlight.delete(run);
      // What queued while the commits were busy has waited long enough.
      if (this.queue.length > 0 && !this.scheduled) this.flushNow();
    });
    this.inFlight.add(run);
  }

  private async commit(batch: Pending[]): Promise<void> {
    try {
      const accepted = this.admit(batch);
      const outcomes = await this.store.insertMany(accepted.map((p) => p.message), this.options.accountQuotaBytes);
      const byHash = new Map(accepted.map((p) => [p.message.hash, p.message]));
      const inserted: StoredMessage[] = [];
      let insertedBytes = 0;
      for (const o of outcomes.values()) {
        const message = byHash.get(o.hash);
        if (o.already || !message) continue;
        inserted.push(message);
        insertedBytes += message.data.length;
      }
      for (const p of accepted) {
        const outcome = outcomes.get(p.message.hash);
        // Left out by the statement: the account would pass its quota.
        if (outcome) p.resolve(outcome);
        else p.reject(new AccountQuotaError(this.options.accountQuotaBytes));
      }
      this.heldBytes += insertedBytes;
      this.options.onCommitted?.(accepted.length, insertedBytes);
      this.options.onInserted?.(inserted);
    } catch (err) {
      for (const p of batch) p.reject(err as Error);
    }
  }

  /** Applies the node cap (the per-account quota is applied inside the INSERT). */
  private admit(batch: Pending[]): Pending[] {
    const accepted: Pending[] = [];
    let nodeBytes = this.heldBytes;
    for (const p of batch) {
      const size = p.message.data.length;
      if (nodeBytes + size > this.options.capBytes) p.reject(new StorageFullError(this.options.capBytes));
      else {
        nodeBytes += size;
        accepted.push(p);
      }
    }
    return accepted;
  }
}
