// The TURN server for calls (chart `turn`, coturn) as rendered: hardened, one secret shared with the
// file server, private ranges denied, nothing logged, refusals for settings that cannot work; and,
// where Debian's coturn is installed, the rendered command line run for real and used with
// credentials from a real file server started with the environment the chart gives it.
import { spawn, spawnSync, type ChildProcess } from 'child_process';
import * as fs from 'fs';
import { connect } from 'net';
import * as os from 'os';
import * as path from 'path';
import YAML from 'yaml';
import { eventually } from '@starling/platform';
import { freePort } from '../src/devnet/ports';
import { ServiceProcess } from '../src/devnet/service-process';
import { REPO_ROOT, TURN_CHART, UMBRELLA_CHART, chartDir } from './charts';
import { type K8sObject, render as renderWith, renderCheckForSpec } from './render';

const renderCheck = renderCheckForSpec();
const unavailable = renderCheck.unavailable;
const render = (chart: string, files: string[]) => renderWith(renderCheck.binary(), chartDir(chart), files);

const CALLS = path.join(chartDir(UMBRELLA_CHART), 'ci', 'calls-values.yaml');
const COMPONENT = 'app.kubernetes.io/component';

interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: { secretKeyRef?: { name: string; key: string }; fieldRef?: { fieldPath: string } };
}
interface Container {
  command?: string[];
  args: string[];
  env: EnvVar[];
  ports: { name: string; containerPort: number; protocol: string }[];
  securityContext: Record<string, unknown>;
  [probe: string]: unknown;
}

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'turn-chart-'));
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

/** A values file with these values, for settings a test makes up. */
function valuesFile(values: unknown): string {
  const file = path.join(scratch, `values-${fs.readdirSync(scratch).length}.yaml`);
  fs.writeFileSync(file, YAML.stringify(values));
  return file;
}

function workload(objects: K8sObject[], component: string): K8sObject {
  const found = objects.filter((o) => o.kind === 'Deployment' && o.metadata.labels?.[COMPONENT] === component);
  expect(found).toHaveLength(1);
  return found[0]!;
}

const containerOf = (deployment: K8sObject): Container => deployment.spec.template.spec.containers[0];
const envOf = (deployment: K8sObject, name: string): EnvVar | undefined => containerOf(deployment).env.find((e) => e.name === name);
const argValues = (args: string[], option: string): string[] => args.filter((a) => a.startsWith(`${option}=`)).map((a) => a.slice(option.length + 1));

describe('turn chart (rendered)', () => {
  it('global.turn.enabled: coturn and the file server read one generated secret; the file server hands out the TURN URIs', () => {
    if (unavailable) return;
    const { objects, stderr } = render(UMBRELLA_CHART, [CALLS]);
    expect(stderr).toBe('');
    const coturn = workload(objects, TURN_CHART);
    const fileServer = workload(objects, 'file-server');
    const ref = { name: 'demo-turn-secret', key: 'static-auth-secret' };
    expect(envOf(coturn, 'TURN_SECRET')?.valueFrom?.secretKeyRef).toEqual(ref);
    expect(envOf(fileServer, 'FILE_SERVER_TURN_SECRET')?.valueFrom?.secretKeyRef).toEqual(ref);
    expect(envOf(fileServer, 'FILE_SERVER_TURN_URIS')?.value).toBe('turn:turn.example.org:3478?transport=udp,turn:turn.example.org:3478?transport=tcp');
    expect(envOf(fileServer, 'FILE_SERVER_TURN_TTL')?.value).toBe('1h');

    const secret = objects.find((o) => o.kind === 'Secret' && o.metadata.name === ref.name)!;
    expect(Buffer.from(secret.data![ref.key]!, 'base64').toString()).toMatch(/^[0-9a-f]{64}$/);
    expect(secret.metadata.annotations?.['helm.sh/resource-policy']).toBe('keep');

    const { args } = containerOf(coturn);
    expect(args).toEqual(expect.arrayContaining(['--use-auth-secret', '--static-auth-secret=$(TURN_SECRET)', '--external-ip=203.0.113.10/$(POD_IP)', '--allowed-peer-ip=$(POD_IP)']));
    // The secret reaches the process through Kubernetes' $(VAR) expansion, never the pod spec.
    expect(JSON.stringify(coturn)).not.toContain(secret.data![ref.key]);
    expect(coturn.spec.replicas).toBe(1);
    expect(coturn.spec.strategy).toEqual({ type: 'Recreate' });

    const service = objects.find((o) => o.kind === 'Service' && o.metadata.labels?.[COMPONENT] === TURN_CHART)!;
    expect(service.spec).toMatchObject({ type: 'LoadBalancer', loadBalancerIP: '203.0.113.10', externalTrafficPolicy: 'Local' });
    expect(service.spec.ports).toEqual([
      { name: 'turn-udp', port: 3478, targetPort: 'turn-udp', protocol: 'UDP' },
      { name: 'turn-tcp', port: 3478, targetPort: 'turn-tcp', protocol: 'TCP' },
    ]);
  });

  it('off by default: no TURN object, no TURN variable for the file server', () => {
    if (unavailable) return;
    for (const scenario of ['ha-values.yaml', 'minimal-values.yaml']) {
      const { objects } = render(UMBRELLA_CHART, [path.join(chartDir(UMBRELLA_CHART), 'ci', scenario)]);
      expect(objects.filter((o) => o.metadata.labels?.[COMPONENT] === TURN_CHART)).toEqual([]);
      expect(containerOf(workload(objects, 'file-server')).env.filter((e) => e.name.startsWith('FILE_SERVER_TURN_'))).toEqual([]);
    }
  });

  it('an existing Secret is read by both sides and none is generated', () => {
    if (unavailable) return;
    const { objects } = render(UMBRELLA_CHART, [CALLS, valuesFile({ global: { turn: { existingSecret: 'sealed-turn', existingSecretKey: 'shared' } } })]);
    const ref = { name: 'sealed-turn', key: 'shared' };
    expect(envOf(workload(objects, TURN_CHART), 'TURN_SECRET')?.valueFrom?.secretKeyRef).toEqual(ref);
    expect(envOf(workload(objects, 'file-server'), 'FILE_SERVER_TURN_SECRET')?.valueFrom?.secretKeyRef).toEqual(ref);
    expect(objects.filter((o) => o.kind === 'Secret' && /turn/.test(o.metadata.name))).toEqual([]);
  });

  it('the file server alone can use a TURN server of its own', () => {
    if (unavailable) return;
    const own = { turn: { uris: ['turn:turn.example.net:3478?transport=udp', 'turns:turn.example.net:443?transport=tcp'], existingSecret: 'external-turn', credentialTtl: '30m' } };
    const { objects } = render('file-server', [path.join(chartDir('file-server'), 'ci', 'minimal-values.yaml'), valuesFile(own)]);
    const fileServer = workload(objects, 'file-server');
    expect(envOf(fileServer, 'FILE_SERVER_TURN_URIS')?.value).toBe(own.turn.uris.join(','));
    expect(envOf(fileServer, 'FILE_SERVER_TURN_SECRET')?.valueFrom?.secretKeyRef).toEqual({ name: 'external-turn', key: 'static-auth-secret' });
    expect(envOf(fileServer, 'FILE_SERVER_TURN_TTL')?.value).toBe('30m');
  });

  it('coturn runs hardened: restricted pod, no CLI, no TCP relays, no version, nothing logged', () => {
    if (unavailable) return;
    const { objects } = render(TURN_CHART, [path.join(chartDir(TURN_CHART), 'ci', 'minimal-values.yaml')]);
    const pod = workload(objects, TURN_CHART).spec.template.spec;
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 65534, seccompProfile: { type: 'RuntimeDefault' } });
    expect(pod.automountServiceAccountToken).toBe(false);
    const c = pod.containers[0] as Container;
    expect(c.command).toEqual(['turnserver']);
    expect(c.securityContext).toMatchObject({ readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, privileged: false, capabilities: { drop: ['ALL'], add: ['NET_BIND_SERVICE'] } });
    for (const probe of ['startupProbe', 'readinessProbe', 'livenessProbe']) expect(c[probe]).toMatchObject({ tcpSocket: { port: 'turn-tcp' } });
    expect(c.args).toEqual(expect.arrayContaining(['-n', '--no-cli', '--no-tcp-relay', '--no-software-attribute', '--no-multicast-peers', '--no-rfc5780', '--log-file=/dev/null', '--no-stdout-log', '--pidfile=/tmp/turnserver.pid']));
    expect(c.args.filter((a) => /^-(v|V|-verbose|-Verbose|-log-binding|-allow-loopback-peers|-web-admin|-server-relay)$/.test(a))).toEqual([]);
    // Everything coturn writes goes to the /tmp emptyDir: the root filesystem stays read-only.
    expect(c.args.filter((a) => /^--(pidfile|db|userdb|log-file)=/.test(a)).map((a) => a.split('=')[1]!).every((f) => f === '/dev/null' || f.startsWith('/tmp/'))).toBe(true);
  });

  it('private and special ranges: coturn refuses them as peers (CIDRs turned into its ranges) and egress excludes them', () => {
    if (unavailable) return;
    const extra = valuesFile({ extraDeniedPeerCIDRs: ['11.22.33.44/12', '198.51.100.7/32', '2001:db8:1::/48'] });
    const { objects } = render(TURN_CHART, [path.join(chartDir(TURN_CHART), 'ci', 'minimal-values.yaml'), extra]);
    const denied = argValues(containerOf(workload(objects, TURN_CHART)).args, '--denied-peer-ip');
    expect(denied).toEqual(expect.arrayContaining([
      '10.0.0.0-10.255.255.255',
      '172.16.0.0-172.31.255.255',
      '192.168.0.0-192.168.255.255',
      '100.64.0.0-100.127.255.255',
      '127.0.0.0-127.255.255.255',
      '169.254.0.0-169.254.255.255',
      '0.0.0.0-0.255.255.255',
      '240.0.0.0-255.255.255.255',
      '11.16.0.0-11.31.255.255',
      '198.51.100.7-198.51.100.7',
    ]));
    expect(denied.every((r) => /^[0-9.]+-[0-9.]+$/.test(r))).toBe(true);

    const policy = objects.find((o) => o.kind === 'NetworkPolicy')!;
    expect(policy.spec.policyTypes).toEqual(['Ingress', 'Egress']);
    // Egress is IP blocks only: no rule that reaches cluster DNS or Starling pods.
    const egress = policy.spec.egress as { to: { ipBlock?: { cidr: string; except: string[] } }[] }[];
    expect(egress.flatMap((rule) => rule.to.map((peer) => Object.keys(peer)))).toEqual([['ipBlock'], ['ipBlock']]);
    const blocks = Object.fromEntries(egress[0]!.to.map((peer) => [peer.ipBlock!.cidr, peer.ipBlock!.except]));
    expect(blocks['0.0.0.0/0']).toEqual(expect.arrayContaining(['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '169.254.0.0/16', '11.22.33.44/12']));
    expect(blocks['::/0']).toEqual(expect.arrayContaining(['fc00::/7', 'fe80::/10', '::1/128', '2001:db8:1::/48']));
    expect(policy.spec.ingress[0]).toEqual({ ports: [{ port: 'turn-udp', protocol: 'UDP' }, { port: 'turn-tcp', protocol: 'TCP' }] });
  });

  it('NodePort with exposed relay ports: node port = port for every relay port, the range open in the NetworkPolicy', () => {
    if (unavailable) return;
    const { objects } = render(TURN_CHART, [path.join(chartDir(TURN_CHART), 'ci', 'nodeport-values.yaml')]);
    const service = objects.find((o) => o.kind === 'Service' && o.spec.type === 'NodePort')!;
    const ports = service.spec.ports as { name: string; port: number; nodePort: number; protocol: string }[];
    expect(ports).toHaveLength(2 + 100);
    expect(ports.every((p) => p.nodePort === p.port)).toBe(true);
    expect(ports.filter((p) => p.name.startsWith('relay-')).every((p) => p.protocol === 'UDP' && p.port >= 32000 && p.port <= 32099)).toBe(true);
    const policy = objects.find((o) => o.kind === 'NetworkPolicy')!;
    expect(policy.spec.ingress[0].ports).toContainEqual({ port: 32000, endPort: 32099, protocol: 'UDP' });
    // The metrics port stays on a cluster-internal Service.
    expect(objects.find((o) => o.kind === 'Service' && o.metadata.name === 'demo-turn-metrics')?.spec.type).toBe('ClusterIP');
    expect(ports.some((p) => p.name === 'metrics')).toBe(false);
  });

  it.each([
    ['global.turn.enabled without a host', UMBRELLA_CHART, { global: { database: { url: 'postgres://pg/starling' }, turn: { enabled: true } } }, 'global.turn.host is empty'],
    ['exposed relay ports without externalIP', TURN_CHART, { service: { exposeRelayPorts: true }, relayPorts: { min: 40000, max: 40099 } }, 'service.exposeRelayPorts needs externalIP'],
    ['more than 1000 exposed relay ports', TURN_CHART, { service: { exposeRelayPorts: true }, externalIP: '203.0.113.5' }, 'narrow relayPorts to at most 1000 ports'],
    ['a node port outside the node port range', TURN_CHART, { service: { type: 'NodePort' } }, 'must lie in 30000-32767 (got 3478)'],
    ['a relay range upside down', TURN_CHART, { relayPorts: { min: 50000, max: 49999 } }, 'relayPorts.min (50000) is above relayPorts.max (49999)'],
    ['file server: TURN URIs without their secret', 'file-server', { replicaCount: 1, turn: { uris: ['turn:turn.example.net:3478'] } }, 'turn.uris needs turn.existingSecret'],
  ])('refused with a clear message: %s', (_what, chart, values, message) => {
    if (unavailable) return;
    const result = render(chart, [valuesFile(values)]);
    expect(result.ok).toBe(false);
    expect(result.stderr).toContain(message);
  });
});

/** The first non-loopback IPv4 address of this machine: coturn refuses loopback peers, as in a pod. */
function podLikeAddress(): string | undefined {
  return Object.values(os.networkInterfaces())
    .flat()
    .find((a) => a && a.family === 'IPv4' && !a.internal)?.address;
}

function missingForLiveRun(): string | undefined {
  if (unavailable) return unavailable;
  for (const tool of ['turnserver', 'turnutils_uclient']) {
    if (spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0) return `${tool} not found (apt-get install coturn)`;
  }
  if (!podLikeAddress()) return 'no non-loopback IPv4 address';
  if (!fs.existsSync(path.join(REPO_ROOT, 'services', 'file-server', 'dist', 'main.js'))) return 'file server not built';
  return undefined;
}

/** What the kubelet would do: resolve each env var (Secrets from the rendered objects), then $(VAR) in args. */
function resolveEnv(container: Container, objects: K8sObject[], podIp: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const e of container.env) {
    const ref = e.valueFrom?.secretKeyRef;
    if (ref) {
      const secret = objects.find((o) => o.kind === 'Secret' && o.metadata.name === ref.name);
      const value = secret?.stringData?.[ref.key] ?? (secret?.data?.[ref.key] === undefined ? undefined : Buffer.from(secret.data[ref.key], 'base64').toString());
      if (value === undefined) throw new Error(`env ${e.name}: Secret ${ref.name}/${ref.key} not rendered`);
      env[e.name] = value;
    } else if (e.valueFrom?.fieldRef?.fieldPath === 'status.podIP') env[e.name] = podIp;
    else if (e.value !== undefined) env[e.name] = e.value;
  }
  return env;
}

interface Uclient {
  code: number | null;
  output: string;
  sent: number;
  received: number;
}

/** turnutils_uclient (coturn's test client); -y: two clients relaying to each other's allocation. */
function uclient(args: string[]): Uclient {
  const r = spawnSync('turnutils_uclient', args, { encoding: 'utf8', timeout: 60_000 });
  const output = `${r.stdout}${r.stderr}`;
  const totals = [...output.matchAll(/tot_send_msgs=(\d+), tot_recv_msgs=(\d+)/g)].at(-1);
  return { code: r.status, output, sent: Number(totals?.[1] ?? 0), received: Number(totals?.[2] ?? 0) };
}

describe('turn chart (the rendered coturn command line, run)', () => {
  const missing = missingForLiveRun();
  let coturn: ChildProcess | undefined;
  let coturnOutput = '';
  let fileServer: ServiceProcess | undefined;

  afterAll(async () => {
    await fileServer?.stop();
    if (coturn && coturn.exitCode === null) {
      const exited = new Promise((resolve) => coturn!.once('exit', resolve));
      coturn.kill('SIGTERM');
      await exited;
    }
  });

  it("relays between two allocations with the file server's credentials, refuses private peers and bad credentials, logs nothing", async () => {
    if (missing) {
      if (process.env.CI) throw new Error(`live TURN check cannot run in CI: ${missing}`);
      console.log(`live TURN check skipped: ${missing}`);
      return;
    }
    const ip = podLikeAddress()!;
    const port = await freePort();
    const relayMin = 40_000 + Math.floor(Math.random() * 100) * 200;
    // The umbrella's calls scenario, with this machine standing in for the pod and its Service. No
    // externalIP (the chart's default): coturn itself would allow the private part of one.
    const local = valuesFile({ global: { turn: { host: ip, port } }, turn: { externalIP: '', ports: { turn: port }, relayPorts: { min: relayMin, max: relayMin + 199 } } });
    const { objects, stderr } = render(UMBRELLA_CHART, [CALLS, local]);
    expect(stderr).toBe('');

    const turnContainer = containerOf(workload(objects, TURN_CHART));
    const turnEnv = resolveEnv(turnContainer, objects, ip);
    const workDir = fs.mkdtempSync(path.join(scratch, 'coturn-'));
    const args = turnContainer.args.map((a) => a.replace(/\$\(([A-Z_]+)\)/g, (_, name: string) => turnEnv[name] ?? `$(${name})`).replace(/=\/tmp\//, `=${workDir}/`));
    expect(args.some((a) => a.includes('$('))).toBe(false);
    coturn = spawn(turnContainer.command![0]!, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    coturn.stdout!.on('data', (d) => (coturnOutput += d));
    coturn.stderr!.on('data', (d) => (coturnOutput += d));
    await eventually(
      () =>
        new Promise<void>((resolve, reject) => {
          if (coturn!.exitCode !== null) return reject(new Error(`turnserver exited (${coturn!.exitCode}): ${coturnOutput}`));
          const socket = connect(port, ip, () => (socket.destroy(), resolve()));
          socket.once('error', reject);
        }),
      { timeoutMs: 15_000, intervalMs: 100 },
    );

    // The file server with the TURN variables the chart gives it (PGlite and a loopback port here).
    const turnVars = Object.fromEntries(Object.entries(resolveEnv(containerOf(workload(objects, 'file-server')), objects, ip)).filter(([name]) => name.startsWith('FILE_SERVER_TURN_')));
    expect(Object.keys(turnVars).sort()).toEqual(['FILE_SERVER_TURN_SECRET', 'FILE_SERVER_TURN_TTL', 'FILE_SERVER_TURN_URIS']);
    const [httpPort, opsPort] = [await freePort(), await freePort()];
    fileServer = new ServiceProcess(
      {
        name: 'file-server',
        service: 'file-server',
        role: 'file server',
        httpPort,
        opsPort,
        env: { FILE_SERVER_HOST: '127.0.0.1', FILE_SERVER_PORT: String(httpPort), FILE_SERVER_OPS_PORT: String(opsPort), FILE_SERVER_DATA_DIR: path.join(scratch, 'file-server'), ...turnVars },
      },
      path.join(scratch, 'file-server.log'),
    );
    await fileServer.start();
    await fileServer.waitReady();
    const res = await fetch(new URL('turn/credentials', fileServer.httpUrl));
    expect(res.status).toBe(200);
    const credentials = (await res.json()) as { username: string; password: string; ttl: number; uris: string[] };
    expect(credentials.uris).toEqual([`turn:${ip}:${port}?transport=udp`, `turn:${ip}:${port}?transport=tcp`]);
    expect(credentials.ttl).toBe(3600);

    const login = ['-u', credentials.username, '-w', credentials.password, '-p', String(port)];
    // Both clients on this server: relayed packets go between two of its allocations, through the
    // pod address, which lies in a denied range here as in a cluster and is let through on purpose.
    for (const transport of [[], ['-t']]) {
      const run = uclient([...transport, '-y', '-c', '-n', '10', '-l', '200', ...login, ip]);
      expect({ transport, code: run.code, sent: run.sent }).toEqual({ transport, code: 0, sent: 20 });
      expect(run.received).toBe(run.sent);
    }
    // A peer in a private range: coturn answers 403 and relays nothing.
    const privatePeer = uclient(['-n', '3', '-e', '10.20.30.40', ...login, ip]);
    expect(privatePeer.code).not.toBe(0);
    expect(privatePeer.output).toMatch(/403/);
    // A password that is not the HMAC under the shared secret.
    const forged = uclient(['-y', '-n', '3', '-u', credentials.username, '-w', 'not-the-hmac', '-p', String(port), ip]);
    expect(forged.code).not.toBe(0);
    expect(forged.received).toBe(0);

    // logging: none. Client and server share this machine's address here; it must appear nowhere,
    // nor the refused peer's.
    expect(coturnOutput).not.toContain(ip);
    expect(coturnOutput).not.toContain('10.20.30.40');
    expect(coturn.exitCode).toBeNull();
  });
});
