// A real Prometheus (Debian's package) scraping processes of the local network, for tests that
// check what an operator's dashboards will see.
import { ChildProcess, spawn } from 'child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import { createServer } from 'net';
import { tmpdir } from 'os';
import { join } from 'path';

export interface ScrapeTarget {
  job: string;
  /** host:port serving /metrics */
  address: string;
}

export interface RunningPrometheus {
  url: string;
  /** Instant query; returns the result vector. */
  query(expr: string): Promise<Array<{ metric: Record<string, string>; value: [number, string] }>>;
  stop(): Promise<void>;
}

export function prometheusBinary(): string {
  return process.env.PROMETHEUS_BIN ?? 'prometheus';
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export async function startPrometheus(targets: ScrapeTarget[], scrapeIntervalMs = 1_000): Promise<RunningPrometheus> {
  const dir = mkdtempSync(join(tmpdir(), 'starling-prometheus-'));
  const byJob = new Map<string, string[]>();
  for (const t of targets) byJob.set(t.job, [...(byJob.get(t.job) ?? []), t.address]);
  const config = [
    'global:',
    `  scrape_interval: ${scrapeIntervalMs}ms`,
    `  scrape_timeout: ${Math.min(scrapeIntervalMs, 1_000)}ms`,
    'scrape_configs:',
    ...[...byJob].flatMap(([job, addresses]) => [
      `  - job_name: ${JSON.stringify(job)}`,
      '    static_configs:',
      `      - targets: ${JSON.stringify(addresses)}`,
    ]),
  ].join('\n');
  writeFileSync(join(dir, 'prometheus.yml'), config + '\n');
  const port = await freePort();
  const child: ChildProcess = spawn(
    prometheusBinary(),
    [`--config.file=${join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr?.on('data', (chunk) => (stderr = (stderr + chunk).slice(-4_000)));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`prometheus exited with ${child.exitCode}: ${stderr}`);
    try {
      if ((await fetch(`${url}/-/ready`)).ok) break;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) throw new Error(`prometheus not ready within 30 s: ${stderr}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    url,
    async query(expr) {
      const res = await fetch(`${url}/api/v1/query?query=${encodeURIComponent(expr)}`);
      const json = (await res.json()) as { status: string; error?: string; data?: { result: Array<{ metric: Record<string, string>; value: [number, string] }> } };
      if (json.status !== 'success') throw new Error(`query ${expr} failed: ${json.error}`);
      return json.data!.result;
    },
    async stop() {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await new Promise((r) => child.once('exit', r));
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
