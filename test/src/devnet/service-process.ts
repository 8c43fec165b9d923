// One service of the local network as a real child process: `node services/<service>/dist/main.js`
// with its environment, output appended to a log file, readiness polled on GET /readyz.
import { spawn, type ChildProcess } from 'child_process';
import { createWriteStream, promises as fs, type WriteStream } from 'fs';
import * as path from 'path';

/** What to run. Later services (relay, file server, community server) are added as more specs. */
export interface ServiceSpec {
  /** Unique instance name, also the log file name: `registry-1`, `store-3`. */
  name: string;
  /** Folder under services/ whose dist/main.js is started. */
  service: string;
  env: Record<string, string>;
  /** The public port. */
  httpPort: number;
  /** The cluster-only port of /healthz, /readyz and /metrics. */
  opsPort?: number;
  /** The public port speaks HTTPS (every listed node does). */
  tls?: boolean;
  /** host:port of an HTTP server that every listed node, as the exit of a path, may proxy to. */
  proxyTarget?: string;
  grpcPort?: number;
  /** Shown in the launcher's table ("seed API", "swarm 123…"). */
  role: string;
}

/** The `<PREFIX>_PROXY_ALLOW` value for listed nodes: the specs' proxy targets, comma-separated. */
export function proxyAllowList(specs: readonly ServiceSpec[]): string {
  return specs.flatMap((s) => (s.proxyTarget ? [s.proxyTarget] : [])).join(',');
}

export interface ExitStatus {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');

/**
 * Node flags of every service process, as the Dockerfile sets them for the pods: a young
 * generation of 2 MiB semi-spaces instead of 16 MiB takes 20-40 MiB off each process's resident
 * memory at no relay throughput cost (test/src/bench/memory.bench.ts, relay-throughput.bench.ts).
 * A spec's own NODE_OPTIONS replaces it.
 */
export const SERVICE_NODE_OPTIONS = '--max-semi-space-size=2';

export class ServiceProcess {
  private child: ChildProcess | undefined;
  private log: WriteStream | undefined;
  private exit: Promise<ExitStatus> = Promise.resolve({ code: null, signal: null });
  /** Filled in by the launcher once known (e.g. the node's Ed25519 key from the map). */
  readonly info: Record<string, string> = {};

  constructor(
    readonly spec: ServiceSpec,
    readonly logFile: string,
  ) {}

  get name(): string {
    return this.spec.name;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** The public port's URL (https for listed nodes: fetch them with platform `request`, which takes their self-signed certificates). */
  get httpUrl(): string {
    return `${this.spec.tls ? 'https' : 'http'}://127.0.0.1:${this.spec.httpPort}/`;
  }

  /** Where /readyz and /metrics answer: the ops port, or the public one for a service without one. */
  get opsUrl(): string {
    return `http://127.0.0.1:${this.spec.opsPort ?? this.spec.httpPort}/`;
  }

  get grpcAddress(): string | undefined {
    return this.spec.grpcPort ? `127.0.0.1:${this.spec.grpcPort}` : undefined;
  }

  get running(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Resolves when the current process has exited. */
  get exited(): Promise<ExitStatus> {
    return this.exit;
  }

  async start(): Promise<void> {
    if (this.running) throw new Error(`${this.name} is already running`);
    const main = path.join(REPO_ROOT, 'services', this.spec.service, 'dist', 'main.js');
    await fs.access(main).catch(() => {
      throw new Error(`${main} does not exist: build first (npx tsc -b services/${this.spec.service}/tsconfig.build.json)`);
    });
    await fs.mkdir(path.dirname(this.logFile), { recursive: true });
    this.log = createWriteStream(this.logFile, { flags: 'a' });
    const child = spawn(process.execPath, [main], {
      cwd: REPO_ROOT,
      env: { PATH: process.env.PATH ?? '', LOG_LEVEL: process.env.LOG_LEVEL ?? 'info', NODE_OPTIONS: SERVICE_NODE_OPTIONS, ...this.spec.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.pipe(this.log, { end: false });
    child.stderr!.pipe(this.log, { end: false });
    this.exit = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
    this.child = child;
  }

  /** Polls /readyz until it answers 200; fails early, with the log's tail, if the process exits. */
  async waitReady(timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let last = 'no answer yet';
    while (Date.now() < deadline) {
      if (!this.running) throw new Error(`${this.name} exited before it was ready:\n${await this.logTail()}`);
      try {
        const res = await fetch(new URL('readyz', this.opsUrl), { signal: AbortSignal.timeout(2_000) });
        if (res.status === 200) return;
        last = `${res.status} ${await res.text()}`;
      } catch (err) {
        last = (err as Error).message;
      }
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`${this.name} not ready after ${timeoutMs} ms (last /readyz: ${last})\n${await this.logTail()}`);
  }

  /** Sends a signal (SIGKILL to simulate a crash) and waits for the process to exit. */
  async kill(signal: NodeJS.Signals = 'SIGTERM'): Promise<ExitStatus> {
    if (!this.running) return this.exit;
    this.child!.kill(signal);
    return this.exit;
  }

  /** SIGTERM, then SIGKILL if the process has not exited within graceMs. */
  async stop(graceMs = 15_000): Promise<ExitStatus> {
    if (!this.running) return this.exit;
    this.child!.kill('SIGTERM');
    const timer = setTimeout(() => this.child?.kill('SIGKILL'), graceMs);
    const status = await this.exit;
    clearTimeout(timer);
    this.log?.end();
    return status;
  }

  /** Stops (gracefully unless told otherwise), starts again with the same ports and data, waits until ready. */
  async restart(signal: NodeJS.Signals = 'SIGTERM', readyTimeoutMs?: number): Promise<void> {
    if (signal === 'SIGTERM') await this.stop();
    else await this.kill(signal);
    await this.start();
    await this.waitReady(readyTimeoutMs);
  }

  /** Last exit resort when the launcher itself exits: no waiting. */
  killNow(): void {
    if (this.running) this.child!.kill('SIGKILL');
  }

  async logTail(lines = 20): Promise<string> {
    const text = await fs.readFile(this.logFile, 'utf8').catch(() => '');
    return text.trimEnd().split('\n').slice(-lines).join('\n');
  }
}
