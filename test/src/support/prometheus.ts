// A real Prometheus (Debian's package) scraping processes of the local network, for tests that
// check what an operator's dashboards will see.
import { ChildProcess, spawn } from 'child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import { createServer } from 'net';
import { tmpdir } from 'os';
import { join } from 'path';

export interface ScrapeTarget {
  /** The Starling service (registry, swarm-store, ...): what the charts' Service label
   * app.kubernetes.io/component says and the ServiceMonitor copies into `service` and `job`. */
  service: string;
  /** host:port serving /metrics (the service's ops port) */
  address: string;
  /** What the `pod` label says (Kubernetes' pod name); default the address. */
  pod?: string;
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
  // Labelled as the charts' ServiceMonitor labels targets under prometheus-operator: the component
  // label (here a hidden label of the target) is copied into `service`, `job` is the service name,
  // and the scraped series keep no `service` label of their own (honor_labels off). Queries that
  // work here select series the way dashboards and alerts do in a cluster.
  const byService = new Map<string, ScrapeTarget[]>();
  for (const t of targets) byService.set(t.service, [...(byService.get(t.service) ?? []), t]);
  const config = [
    'global:',
    `  scrape_interval: ${scrapeIntervalMs}ms`,
    `  scrape_timeout: ${Math.min(scrapeIntervalMs, 1_000)}ms`,
    'scrape_configs:',
    ...[...byService].flatMap(([service, group]) => [
      `  - job_name: ${JSON.stringify(service)}`,
      '    honor_labels: false',
      '    static_configs:',
      ...group.flatMap((t) => [
        `      - targets: ${JSON.stringify([t.address])}`,
        `        labels: ${JSON.stringify({ __meta_kubernetes_service_label_app_kubernetes_io_component: service, pod: t.pod ?? t.address })}`,
      ]),
      '    relabel_configs:',
      '      - action: replace',
      '        source_labels: [__meta_kubernetes_service_label_app_kubernetes_io_component]',
      '        target_label: service',
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
