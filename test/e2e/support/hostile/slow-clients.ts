// Clients that hold connections open as cheaply as they can: bodies trickled a byte a second,
// headers a line a second, pipelined requests whose answers are never read. They are kept on
// one timer (not one per connection) so that a few thousand of them cost the test little, and
// each records how its connection ended.
import type { Socket } from 'net';
import { openSocket, requestHead, type RawTarget } from './raw-http';

type Ending = 'answered408' | 'answeredOther' | 'closed' | 'reset' | 'failedToConnect';

interface Slow {
  socket: Socket;
  /** Called once a second while the connection is open. */
  tick?: () => void;
}

export class SlowClients {
  private readonly clients = new Set<Slow>();
  private readonly timer: NodeJS.Timeout;
  /** How connections ended, by kind. */
  readonly endings: Partial<Record<Ending, number>> = {};
  /** How many of each kind were opened. */
  readonly counts = { trickleBodies: 0, slowHeaders: 0, nonReaders: 0 };

  constructor() {
    this.timer = setInterval(() => {
      for (const c of this.clients) c.tick?.();
    }, 1_000);
  }

  /** Connections still open. */
  get open(): number {
    return this.clients.size;
  }

  /** POSTs announcing a 5 KB body (within every route's cap), then sending one byte of it a second. */
  async trickleBodies(target: RawTarget, path: string, count: number): Promise<void> {
    this.counts.trickleBodies += count;
    await this.start(target, count, (socket) => {
      socket.write(requestHead('POST', path, { 'content-length': 5_000, 'content-type': 'application/json' }));
      return () => socket.write('{');
    });
  }

  /** A request line, then one header line a second, never the end of the headers. */
  async slowHeaders(target: RawTarget, path: string, count: number): Promise<void> {
    this.counts.slowHeaders += count;
    let n = 0;
    await this.start(target, count, (socket) => {
      socket.write(`POST ${path} HTTP/1.1\r\nhost: x\r\n`);
      return () => socket.write(`x-slow-${n++}: 1\r\n`);
    });
  }

  /** Three pipelined requests for real answers, none of which is read (until resumeReaders). */
  async nonReaders(target: RawTarget, ask: { method: string; path: string; body?: string }, count: number): Promise<void> {
    this.counts.nonReaders += count;
    const one = requestHead(ask.method, ask.path, ask.body === undefined ? {} : { 'content-length': Buffer.byteLength(ask.body), 'content-type': 'application/json' }) + (ask.body ?? '');
    await this.start(target, count, (socket) => {
      socket.pause();
      socket.write(one.repeat(3));
      return undefined;
    });
  }

  /** Lets the non-readers read at last: a paused socket does not notice that it was closed. */
  resumeReaders(): void {
    for (const c of this.clients) c.socket.resume();
  }

  close(): void {
    clearInterval(this.timer);
    for (const c of this.clients) c.socket.destroy();
    this.clients.clear();
  }

  private async start(target: RawTarget, count: number, begin: (socket: Socket) => (() => void) | undefined): Promise<void> {
    const opened = await Promise.all(Array.from({ length: count }, () => openSocket(target).catch(() => undefined)));
    for (const socket of opened) {
      if (!socket) {
        this.end('failedToConnect');
        continue;
      }
      const client: Slow = { socket };
      let head = '';
      socket.on('data', (chunk: Buffer) => {
        if (head.length < 16) head += chunk.toString('latin1', 0, 16);
      });
      socket.on('error', () => undefined);
      socket.once('close', (hadError) => {
        this.clients.delete(client);
        this.end(head.startsWith('HTTP/1.1 408') ? 'answered408' : head.startsWith('HTTP/') ? 'answeredOther' : hadError ? 'reset' : 'closed');
      });
      this.clients.add(client);
      const tick = begin(socket);
      if (tick) client.tick = () => socket.writable && tick();
    }
  }

  private end(kind: Ending): void {
    this.endings[kind] = (this.endings[kind] ?? 0) + 1;
  }
}

export interface Probe {
  name: string;
  /** Sends one valid request; resolves with its status. */
  send: () => Promise<number>;
}

export interface Latency {
  p50: number;
  p99: number;
  max: number;
  /** The distinct statuses the probes got. */
  statuses: number[];
}

/** `rounds` requests per probe, one after another: their latencies in milliseconds. */
export async function latencies(probes: readonly Probe[], rounds: number): Promise<Record<string, Latency>> {
  const out: Record<string, Latency> = {};
  for (const p of probes) {
    const times: number[] = [];
    const statuses = new Set<number>();
    for (let i = 0; i < rounds; i++) {
      const started = process.hrtime.bigint();
      statuses.add(await p.send().catch(() => 0));
      times.push(Number(process.hrtime.bigint() - started) / 1e6);
    }
    out[p.name] = { p50: percentile(times, 0.5), p99: percentile(times, 0.99), max: Math.max(...times), statuses: [...statuses].sort() };
  }
  return out;
}

export function percentile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? NaN;
}

export function ratio(with_: number, without: number): string {
  return (with_ / without).toFixed(2);
}
