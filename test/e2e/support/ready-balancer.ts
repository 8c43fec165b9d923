// A TCP load balancer for whole-network tests that behaves like a Kubernetes Service in front of
// a Deployment: it probes every backend's /readyz as a kubelet does (one probe per period, a
// backend in rotation after one 200, out of it after `failureThreshold` failed probes in a row) and
// sends each NEW connection to the next backend in rotation (round robin). Connections already open stay where they are, as
// kube-proxy's do, whatever the backend's readiness becomes. It works on bytes, so the backends'
// TLS goes through it untouched. A backend that refuses the connection (it has stopped listening
// but the balancer has not noticed yet) gets the client's connection reset, as a client of a
// Service whose endpoints are stale sees it.
import { connect, createServer, type AddressInfo, type Server, type Socket } from 'net';

export interface Backend {
  name: string;
  port: number;
  /** Its ops /readyz. */
  readyUrl: string;
}

export interface ProbeSettings {
  periodMs: number;
  /** Failed probes in a row (not 200, refused, or slower than timeoutMs) that take a backend out. */
  failureThreshold: number;
  timeoutMs: number;
}

export class ReadyBalancer {
  private readonly server: Server;
  private readonly ready = new Map<string, boolean>();
  private readonly failures = new Map<string, number>();
  private readonly sockets = new Set<Socket>();
  private poller: NodeJS.Timeout | undefined;
  private closed = false;
  private next = 0;
  /** New connections per backend, and those that found no ready backend or were refused. */
  readonly connections = new Map<string, number>();
  refused = 0;

  constructor(
    private readonly backends: readonly Backend[],
    private readonly probe: ProbeSettings,
  ) {
    this.server = createServer((client) => this.route(client));
  }

  async listen(): Promise<number> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    await this.poll();
    return this.port;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  /** Whether the backend is in rotation. */
  isReady(name: string): boolean {
    return this.ready.get(name) ?? false;
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.poller);
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** One probe of every backend, then the next one a period later (probes never overlap, as a kubelet's). */
  private async poll(): Promise<void> {
    await Promise.all(
      this.backends.map(async (backend) => {
        let ok = false;
        try {
          const res = await fetch(backend.readyUrl, { signal: AbortSignal.timeout(this.probe.timeoutMs) });
          ok = res.status === 200;
          await res.arrayBuffer();
        } catch {
          ok = false;
        }
        const failures = ok ? 0 : (this.failures.get(backend.name) ?? 0) + 1;
        this.failures.set(backend.name, failures);
        if (ok) this.ready.set(backend.name, true);
        else if (failures >= this.probe.failureThreshold) this.ready.set(backend.name, false);
      }),
    );
    if (!this.closed) this.poller = setTimeout(() => void this.poll(), this.probe.periodMs);
  }

  private route(client: Socket): void {
    this.track(client);
    const candidates = this.backends.filter((b) => this.isReady(b.name));
    if (candidates.length === 0) {
      this.refused++;
      client.destroy();
      return;
    }
    const backend = candidates[this.next++ % candidates.length]!;
    this.connections.set(backend.name, (this.connections.get(backend.name) ?? 0) + 1);
    const upstream = this.track(connect({ host: '127.0.0.1', port: backend.port }));
    upstream.once('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'ECONNREFUSED') this.refused++;
      client.destroy();
    });
    client.once('error', () => upstream.destroy());
    // An end on one side ends the other once what is in flight is written (pipe does that for a
    // clean end; this covers a side that closes without one).
    client.once('close', () => upstream.end());
    upstream.once('close', () => client.end());
    client.pipe(upstream);
    upstream.pipe(client);
  }

  private track(socket: Socket): Socket {
    this.sockets.add(socket);
    socket.once('close', () => this.sockets.delete(socket));
    return socket;
  }
}
