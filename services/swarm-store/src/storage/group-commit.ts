// Group commit: concurrent stores wait a few milliseconds (or until N rows are queued) and go to
// PostgreSQL as ONE multi-row INSERT. Per-statement overhead, not the disk, limits single-row
// inserts on this kind of machine (peers-ops 2.2), so batching multiplies write throughput.
// A write's promise resolves only after its batch committed: the caller may then acknowledge it.
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
  /** How long the first queued write waits for company. */
  delayMs: number;
  /** A batch this large is written at once. */
  maxRows: number;
  /** Total bytes the node may hold. */
  capBytes: number;
  /** Bytes one account may hold. */
  accountQuotaBytes: number;
  /** Called with the rows and outcome of every committed batch (metrics, held-bytes counter). */
  onCommitted?: (rows: number, insertedBytes: number) => void;
}

interface Pending {
  message: StoredMessage;
  resolve: (outcome: InsertOutcome) => void;
  reject: (err: Error) => void;
}

export class GroupCommitWriter {
  private queue: Pending[] = [];
  private timer: NodeJS.Timeout | undefined;
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
      else this.timer ??= setTimeout(() => this.flushNow(), this.options.delayMs);
    });
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
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.queue.length === 0) return;
    const batch = this.queue;
    this.queue = [];
    const run = this.commit(batch).finally(() => this.inFlight.delete(run));
    this.inFlight.add(run);
  }

  private async commit(batch: Pending[]): Promise<void> {
    try {
      const accepted = this.admit(batch);
      const outcomes = await this.store.insertMany(accepted.map((p) => p.message), this.options.accountQuotaBytes);
      const sizes = new Map(accepted.map((p) => [p.message.hash, p.message.data.length]));
      let insertedBytes = 0;
      for (const o of outcomes.values()) if (!o.already) insertedBytes += sizes.get(o.hash) ?? 0;
      for (const p of accepted) {
        const outcome = outcomes.get(p.message.hash);
        // Left out by the statement: the account would pass its quota.
        if (outcome) p.resolve(outcome);
        else p.reject(new AccountQuotaError(this.options.accountQuotaBytes));
      }
      this.heldBytes += insertedBytes;
      this.options.onCommitted?.(accepted.length, insertedBytes);
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
