// A steady client load for drain tests: workers that each send one onion request after another
// through a guard's public address, over their own keep-alive HTTPS connection (as Node's default
// agent and the Session apps keep theirs), and tally every request that did not come back answered.
// No retries: a request the network refused is counted, not hidden.
import { Agent, request } from 'https';

/** One request, built fresh; `open` reads the answer and says whether the destination answered 200. */
export interface LoadRequest {
  body: Uint8Array;
  open(reply: Buffer): boolean;
}

export interface LoadTally {
  ok: number;
  failed: number;
  /** Count per reason of failure (`HTTP 503`, `ECONNRESET`, `no answer`...). */
  reasons: Map<string, number>;
}

export class OnionLoad {
  private running = false;
  private workers: Promise<void>[] = [];
  private readonly tally: LoadTally = { ok: 0, failed: 0, reasons: new Map() };

  constructor(
    private readonly guard: { host: string; port: number },
    private readonly build: () => LoadRequest,
    private readonly concurrency: number,
    private readonly timeoutMs = 10_000,
  ) {}

  start(): void {
    this.running = true;
    this.workers = Array.from({ length: this.concurrency }, () => this.worker());
  }

  /** Requests answered so far. */
  get answered(): number {
    return this.tally.ok;
  }

  async stop(): Promise<LoadTally> {
    this.running = false;
    await Promise.all(this.workers);
    return this.tally;
  }

  private async worker(): Promise<void> {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      while (this.running) {
        const problem = await this.send(agent, this.build());
        if (problem === undefined) this.tally.ok++;
        else {
          this.tally.failed++;
          this.tally.reasons.set(problem, (this.tally.reasons.get(problem) ?? 0) + 1);
        }
      }
    } finally {
      agent.destroy();
    }
  }

  /** Undefined when answered, else why not. */
  private send(agent: Agent, onion: LoadRequest): Promise<string | undefined> {
    return new Promise((resolve) => {
      const req = request(
        {
          host: this.guard.host,
          port: this.guard.port,
          path: '/onion_req/v2',
          method: 'POST',
          agent,
          // Nodes use self-signed certificates; the onion layers carry the trust.
          rejectUnauthorized: false,
          timeout: this.timeoutMs,
          headers: { 'content-type': 'application/octet-stream', 'content-length': onion.body.byteLength },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('error', () => resolve('connection lost while answering'));
          res.on('end', () => {
            if (res.statusCode !== 200) return resolve(`HTTP ${res.statusCode}`);
            try {
              resolve(onion.open(Buffer.concat(chunks)) ? undefined : 'destination did not answer 200');
            } catch (err) {
              resolve(`unreadable answer: ${(err as Error).message}`);
            }
          });
        },
      );
      req.on('timeout', () => req.destroy(new Error('no answer')));
      req.on('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? err.message));
      req.end(onion.body);
    });
  }
}
