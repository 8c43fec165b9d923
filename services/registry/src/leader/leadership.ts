// One replica at a time computes swarms, tests reachability and publishes maps: the one holding
// a session-level PostgreSQL advisory lock on its own connection. When that process dies, its
// connection closes and the server releases the lock; a follower's next attempt takes it.
// On PGlite only one process can open the data folder at all, so that process simply leads.
import { Client } from 'pg';

/** Injection token of the replica's Leadership. */
export const LEADERSHIP = Symbol('Leadership');

export interface Leadership {
  readonly isLeader: boolean;
  /** Starts trying; `onChange` runs on every gain and loss. */
  start(onChange: (leader: boolean) => void): Promise<void>;
  stop(): Promise<void>;
}

/** The only replica there can be (embedded database). */
export class SoleLeadership implements Leadership {
  isLeader = false;

  async start(onChange: (leader: boolean) => void): Promise<void> {
    this.isLeader = true;
    onChange(true);
  }

  async stop(): Promise<void> {
    this.isLeader = false;
  }
}

export interface AdvisoryLockOptions {
  url: string;
  schema?: string;
  /** How often a follower tries to take the lock, and the leader checks its connection. */
  pollIntervalMs: number;
  onError?: (err: unknown) => void;
}

export class AdvisoryLockLeadership implements Leadership {
  isLeader = false;
  private client: Client | undefined;
  private timer: NodeJS.Timeout | undefined;
  private onChange: (leader: boolean) => void = () => undefined;
  private stopped = false;
  private attempt: Promise<void> | undefined;

  constructor(private readonly options: AdvisoryLockOptions) {}

  async start(onChange: (leader: boolean) => void): Promise<void> {
    this.onChange = onChange;
    await this.tick();
    this.timer = setInterval(() => void this.tick(), this.options.pollIntervalMs);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.attempt;
    // Closing the session releases the lock at once, so a follower takes over without waiting.
    await this.dropConnection();
  }

  private tick(): Promise<void> {
    this.attempt ??= this.tryLead().finally(() => (this.attempt = undefined));
    return this.attempt;
  }

  private async tryLead(): Promise<void> {
    if (this.stopped) return;
    try {
      const client = await this.connection();
      if (this.isLeader) {
        await client.query('SELECT 1'); // notices a dead connection even when no one writes
        return;
      }
      const res = await client.query<{ locked: boolean }>(
        `SELECT pg_try_advisory_lock(hashtext(current_schema() || '.registry_leader')) AS locked`,
      );
      if (res.rows[0]?.locked && !this.stopped) this.setLeader(true);
    } catch (err) {
      this.options.onError?.(err);
      await this.dropConnection();
    }
  }

  private async connection(): Promise<Client> {
    if (this.client) return this.client;
    const client = new Client({
      connectionString: this.options.url,
      ...(this.options.schema ? { options: `-c search_path=${this.options.schema}` } : {}),
    });
    // The lock lives and dies with this connection: losing it means we may no longer lead.
    client.on('error', (err) => {
      this.options.onError?.(err);
      void this.dropConnection();
    });
    client.on('end', () => {
      if (this.client === client) void this.dropConnection();
    });
    await client.connect();
    this.client = client;
    return client;
  }

  private async dropConnection(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    if (this.isLeader) this.setLeader(false);
    if (client) await client.end().catch(() => undefined);
  }

  private setLeader(leader: boolean): void {
    this.isLeader = leader;
    this.onChange(leader);
  }
}
