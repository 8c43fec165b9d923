// Renders every chart with each ci/*-values.yaml through the render-check stand-in (strict) and
// checks the objects: hardened pods, Services that select pods, NetworkPolicies, relay groups,
// swarm-store volumes, no duplicate env variables, Secrets that the pods reference. Runs where Go
// and Debian's sprig sources exist; otherwise says so on the console.
import * as fs from 'fs';
import * as path from 'path';
import YAML from 'yaml';
import { INSTALLABLE_CHARTS, SERVICE_CHARTS, TURN_CHART, UMBRELLA_CHART, chartDir, ciValueFiles, relative } from './charts';
import { type K8sObject, render as renderWith, renderCheckForSpec } from './render';

// CI installs Go and the sprig sources (.ci/run): there, a missing renderer is a failure.
const renderCheck = renderCheckForSpec();
const unavailable = renderCheck.unavailable;
const render = (chart: string, files: string[]) => renderWith(renderCheck.binary(), chart, files);

const WORKLOADS = new Set(['Deployment', 'StatefulSet']);

function podSpecs(objects: K8sObject[]): { owner: K8sObject; pod: any }[] {
  return objects.filter((o) => WORKLOADS.has(o.kind)).map((owner) => ({ owner, pod: owner.spec.template }));
}

function matches(selector: Record<string, string>, labels: Record<string, string> | undefined): boolean {
  return Object.entries(selector).every(([k, v]) => labels?.[k] === v);
}

/**
 * The labels of the pods a workload runs: its template's, and for a StatefulSet the name and
 * ordinal labels its controller adds to each pod (what a per-pod Service selects).
 */
function runningPodLabels(owner: K8sObject): Record<string, string>[] {
  const labels = owner.spec.template.metadata.labels as Record<string, string>;
  if (owner.kind !== 'StatefulSet') return [labels];
  return Array.from({ length: owner.spec.replicas ?? 1 }, (_, i) => ({
    ...labels,
    'statefulset.kubernetes.io/pod-name': `${owner.metadata.name}-${i}`,
    'apps.kubernetes.io/pod-index': String(i),
  }));
}

/** Checks that hold for every rendered release, whatever the scenario. */
function checkRelease(objects: K8sObject[], existingSecrets: Set<string>): string[] {
  const problems: string[] = [];
  const names = new Set<string>();
  for (const o of objects) {
    const id = `${o.kind}/${o.metadata?.name}`;
    if (!o.apiVersion || !o.kind || !o.metadata?.name) problems.push(`object without apiVersion/kind/name: ${JSON.stringify(o).slice(0, 120)}`);
    if (names.has(id)) problems.push(`${id} rendered twice`);
    names.add(id);
  }
  const secrets = new Set(objects.filter((o) => o.kind === 'Secret').map((o) => o.metadata.name));
  const pods = podSpecs(objects);
  for (const { owner, pod } of pods) {
    const id = `${owner.kind}/${owner.metadata.name}`;
    if (!matches(owner.spec.selector.matchLabels, pod.metadata.labels)) problems.push(`${id}: selector does not match its pod labels`);
    const spec = pod.spec;
    if (spec.securityContext?.runAsNonRoot !== true || spec.securityContext?.seccompProfile?.type !== 'RuntimeDefault') problems.push(`${id}: pod securityContext not restricted`);
    if (spec.automountServiceAccountToken !== false) problems.push(`${id}: service account token mounted`);
    for (const c of spec.containers) {
      const sc = c.securityContext ?? {};
      if (!(sc.readOnlyRootFilesystem === true && sc.allowPrivilegeEscalation === false && sc.runAsNonRoot === true && JSON.stringify(sc.capabilities?.drop) === '["ALL"]')) problems.push(`${id}: container securityContext not restricted`);
      // Pod Security "restricted" allows adding back this one capability and no other.
      if ((sc.capabilities?.add ?? []).some((cap: string) => cap !== 'NET_BIND_SERVICE')) problems.push(`${id}: adds capabilities ${sc.capabilities.add.join(', ')}`);
      for (const p of ['startupProbe', 'readinessProbe', 'livenessProbe']) if (!c[p]) problems.push(`${id}: no ${p}`);
      // Starling services answer /healthz and /readyz on the ops port only.
      const starling = owner.metadata.labels?.['app.kubernetes.io/component'] !== TURN_CHART;
      if (starling) for (const p of ['startupProbe', 'readinessProbe', 'livenessProbe']) if (c[p] && c[p].httpGet?.port !== 'ops') problems.push(`${id}: ${p} not on the ops port`);
      if (starling && !(c.ports ?? []).some((p: { name: string }) => p.name === 'ops')) problems.push(`${id}: no ops container port`);
      if (!c.resources?.limits?.memory || !c.resources?.requests?.cpu) problems.push(`${id}: no resources`);
      if (owner.metadata.labels?.['app.kubernetes.io/component'] === TURN_CHART) {
        if (JSON.stringify(c.command) !== '["turnserver"]') problems.push(`${id}: coturn does not run turnserver directly`);
      } else if (c.command !== undefined || c.args?.length !== 1 || !/^services\/[a-z-]+\/dist\/main\.js$/.test(c.args[0])) problems.push(`${id}: entrypoint is not node services/<name>/dist/main.js`);
      const envNames = (c.env ?? []).map((e: { name: string }) => e.name);
      const dup = envNames.filter((n: string, i: number) => envNames.indexOf(n) !== i);
      if (dup.length > 0) problems.push(`${id}: env set twice: ${dup.join(', ')}`);
      for (const e of c.env ?? []) {
        const ref = e.valueFrom?.secretKeyRef?.name;
        if (ref && !secrets.has(ref) && !existingSecrets.has(ref)) problems.push(`${id}: env ${e.name} reads Secret ${ref}, which is neither rendered nor given as existingSecret`);
      }
      const mounts = new Set((c.volumeMounts ?? []).map((m: { name: string }) => m.name));
      const volumes = new Set([...(spec.volumes ?? []).map((v: { name: string }) => v.name), ...(owner.spec.volumeClaimTemplates ?? []).map((v: K8sObject) => v.metadata.name)]);
      for (const m of mounts) if (!volumes.has(m)) problems.push(`${id}: mounts ${String(m)} without a volume`);
    }
    if (!objects.some((o) => o.kind === 'NetworkPolicy' && matches(o.spec.podSelector.matchLabels, pod.metadata.labels))) problems.push(`${id}: no NetworkPolicy selects its pods`);
  }
  for (const svc of objects.filter((o) => o.kind === 'Service')) {
    const selected = pods.filter(({ owner }) => runningPodLabels(owner).some((labels) => matches(svc.spec.selector, labels)));
    if (selected.length === 0) problems.push(`Service/${svc.metadata.name}: selects no pods`);
    for (const p of svc.spec.ports) {
      if (!selected.some(({ pod }) => pod.spec.containers.some((c: { ports: { name: string }[] }) => c.ports.some((cp) => cp.name === p.targetPort)))) problems.push(`Service/${svc.metadata.name}: port ${p.targetPort} not on its pods`);
    }
  }
  // The ops port is cluster-only: only on the headless <fullname>-ops Service, and a NetworkPolicy
  // admits nobody but Prometheus (a rule with both a namespace and a pod selector) to it.
  for (const svc of objects.filter((o) => o.kind === 'Service' && o.spec.ports.some((p: { name: string }) => p.name === 'ops'))) {
    if (svc.spec.clusterIP !== 'None' || svc.spec.ports.length !== 1 || !svc.metadata.name.endsWith('-ops')) problems.push(`Service/${svc.metadata.name}: carries the ops port`);
  }
  for (const np of objects.filter((o) => o.kind === 'NetworkPolicy')) {
    for (const rule of np.spec.ingress ?? []) {
      const opsOpen = (rule.ports ?? [{}]).some((p: { port?: string }) => p.port === undefined || p.port === 'ops');
      const prometheusOnly = (rule.from ?? []).length > 0 && rule.from.every((f: { namespaceSelector?: unknown; podSelector?: unknown }) => f.namespaceSelector && f.podSelector);
      if (opsOpen && !prometheusOnly && np.metadata.labels?.['app.kubernetes.io/component'] !== TURN_CHART) problems.push(`NetworkPolicy/${np.metadata.name}: the ops port is open to ${JSON.stringify(rule.from ?? 'anyone')}`);
    }
  }
  for (const hpa of objects.filter((o) => o.kind === 'HorizontalPodAutoscaler')) {
    const target = objects.find((o) => o.kind === hpa.spec.scaleTargetRef.kind && o.metadata.name === hpa.spec.scaleTargetRef.name);
    if (!target) problems.push(`HPA/${hpa.metadata.name}: target missing`);
    else if (target.spec.replicas !== undefined) problems.push(`HPA/${hpa.metadata.name}: target also sets replicas`);
  }
  return problems;
}

/** Secret names a values file says exist already (any `existingSecret`/`passwordSecret` value). */
function existingSecretsIn(files: string[]): Set<string> {
  const out = new Set<string>();
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) {
        if ((k === 'existingSecret' || k === 'passwordSecret' || k === 'existingEnvSecret') && typeof x === 'string' && x) out.add(x);
        else walk(x);
      }
    }
  };
  for (const f of files) walk(YAML.parse(fs.readFileSync(f, 'utf8')));
  return out;
}

const cases = [...INSTALLABLE_CHARTS, UMBRELLA_CHART].flatMap((chart) => ciValueFiles(chart).map((f) => [chart, relative(f), f] as const));

describe('rendered manifests (render-check stand-in for helm template)', () => {
  it.each(cases)('%s with %s renders hardened, consistent objects', (chart, _name, file) => {
    if (unavailable) return;
    const result = render(chartDir(chart), [file]);
    expect(result.stderr).toBe('');
    expect(result.ok).toBe(true);
    expect(result.objects.length).toBeGreaterThan(3);
    expect(checkRelease(result.objects, existingSecretsIn([file]))).toEqual([]);
  });

  it('the umbrella installs every service, the TURN server only when switched on; a disabled one renders nothing', () => {
    if (unavailable) return;
    const all = render(chartDir(UMBRELLA_CHART), [path.join(chartDir(UMBRELLA_CHART), 'ci', 'ha-values.yaml')]);
    const components = (objs: K8sObject[]) => new Set(objs.filter((o) => WORKLOADS.has(o.kind)).map((o) => o.metadata.labels?.['app.kubernetes.io/component']));
    expect(components(all.objects)).toEqual(new Set(SERVICE_CHARTS));
    const calls = render(chartDir(UMBRELLA_CHART), [path.join(chartDir(UMBRELLA_CHART), 'ci', 'calls-values.yaml')]);
    expect(components(calls.objects)).toEqual(new Set(INSTALLABLE_CHARTS));
    const storageOnly = render(chartDir(UMBRELLA_CHART), [path.join(chartDir(UMBRELLA_CHART), 'ci', 'storage-only-values.yaml')]);
    expect(components(storageOnly.objects)).toEqual(new Set(['registry', 'swarm-store']));
    const dashboards = all.objects.filter((o) => o.kind === 'ConfigMap' && o.metadata.labels?.grafana_dashboard === '1');
    // One per service chart and the network overview.
    expect(dashboards).toHaveLength(SERVICE_CHARTS.length + 1);
    for (const d of dashboards) for (const json of Object.values(d.data ?? {})) expect(() => JSON.parse(json)).not.toThrow();
    expect(all.objects.filter((o) => o.kind === 'ServiceMonitor')).toHaveLength(SERVICE_CHARTS.length);
  });

  it('swarm-store: a StatefulSet of parallel peers with a volume per pod, headless Service, PDB maxUnavailable 1, no HPA', () => {
    if (unavailable) return;
    const { objects } = render(chartDir('swarm-store'), [path.join(chartDir('swarm-store'), 'ci', 'minimal-values.yaml')]);
    const sts = objects.find((o) => o.kind === 'StatefulSet')!;
    expect(sts.spec.podManagementPolicy).toBe('Parallel');
    expect(sts.spec.volumeClaimTemplates.map((v: K8sObject) => v.metadata.name)).toEqual(['data']);
    const headless = objects.find((o) => o.kind === 'Service' && o.metadata.name === sts.spec.serviceName)!;
    expect(headless.spec.clusterIP).toBe('None');
    expect(objects.find((o) => o.kind === 'PodDisruptionBudget')!.spec.maxUnavailable).toBe(1);
    expect(objects.some((o) => o.kind === 'HorizontalPodAutoscaler')).toBe(false);
    // The node announces host:port: it must listen on its pod IP, defined before it is used.
    const env = sts.spec.template.spec.containers[0].env as { name: string; value?: string; valueFrom?: { fieldRef?: { fieldPath: string } } }[];
    const host = env.findIndex((e) => e.name === 'SWARM_STORE_HOST');
    const podIp = env.findIndex((e) => e.name === 'POD_IP');
    expect(env[host]?.value).toBe('$(POD_IP)');
    expect(env[podIp]?.valueFrom?.fieldRef?.fieldPath).toBe('status.podIP');
    expect(podIp).toBeLessThan(host);
  });

  it('swarm-store: one database per node through a URL template reads its password from PGPASSWORD, with no shared DATABASE_URL', () => {
    if (unavailable) return;
    const { objects } = render(chartDir('swarm-store'), [path.join(chartDir('swarm-store'), 'ci', 'per-node-database-values.yaml'), path.join(__dirname, 'fixtures', 'global-database.yaml')]);
    const env = objects.find((o) => o.kind === 'StatefulSet')!.spec.template.spec.containers[0].env as { name: string; value?: string; valueFrom?: unknown }[];
    expect(env.filter((e) => e.name === 'DATABASE_URL')).toEqual([{ name: 'DATABASE_URL', value: 'postgres://starling@pg-rw.db.svc:5432/swarm_store_$(POD_INDEX)' }]);
    expect(env.find((e) => e.name === 'PGPASSWORD')?.valueFrom).toEqual({ secretKeyRef: { name: 'starling-pg-app', key: 'password' } });
    expect(env.findIndex((e) => e.name === 'POD_INDEX')).toBeLessThan(env.findIndex((e) => e.name === 'DATABASE_URL'));
  });

  it('entry-relay: each group is a Deployment + HPA + LoadBalancer Service with its own key Secret', () => {
    if (unavailable) return;
    const { objects } = render(chartDir('entry-relay'), [path.join(chartDir('entry-relay'), 'values.yaml')]);
    for (const group of ['a', 'b', 'c']) {
      const name = `demo-entry-relay-${group}`;
      const deployment = objects.find((o) => o.kind === 'Deployment' && o.metadata.name === name)!;
      expect(deployment).toBeDefined();
      expect(objects.some((o) => o.kind === 'HorizontalPodAutoscaler' && o.spec.scaleTargetRef.name === name)).toBe(true);
      const lb = objects.find((o) => o.kind === 'Service' && o.metadata.name === `${name}-public`)!;
      expect(lb.spec.type).toBe('LoadBalancer');
      expect(lb.spec.ports.map((p: { name: string }) => p.name)).toEqual(['http']);
      const key = deployment.spec.template.spec.containers[0].env.find((e: { name: string }) => e.name === 'ENTRY_RELAY_KEY');
      expect(key.valueFrom.secretKeyRef.name).toBe(`${name}-key`);
      const secret = objects.find((o) => o.kind === 'Secret' && o.metadata.name === `${name}-key`)!;
      expect(Buffer.from(secret.data!['ed25519-seed']!, 'base64').toString()).toMatch(/^[0-9a-f]{64}$/);
      expect(secret.metadata.annotations?.['helm.sh/resource-policy']).toBe('keep');
    }
    const seeds = objects.filter((o) => o.kind === 'Secret' && o.metadata.name.endsWith('-key')).map((o) => o.data!['ed25519-seed']);
    expect(new Set(seeds).size).toBe(3);
  });

  it('NetworkPolicies: public ports open to all, gRPC only from listed nodes, the registry and push servers, ops only from Prometheus; the HTTP servers from the nodes that may be exits', () => {
    if (unavailable) return;
    const { objects } = render(chartDir(UMBRELLA_CHART), [path.join(chartDir(UMBRELLA_CHART), 'ci', 'minimal-values.yaml')]);
    const sources = (component: string) => {
      const np = objects.find((o) => o.kind === 'NetworkPolicy' && o.metadata.labels?.['app.kubernetes.io/component'] === component)!;
      return (np.spec.ingress as { from?: { podSelector?: { matchLabels?: Record<string, string> }; namespaceSelector?: unknown }[]; ports: { port: string }[] }[]).map((rule) => ({
        from: rule.from === undefined ? 'anyone' : rule.from.map((f) => (f.namespaceSelector ? 'monitoring' : f.podSelector?.matchLabels?.['app.kubernetes.io/component'])).join(','),
        ports: rule.ports.map((p) => p.port).join(','),
      }));
    };
    // Every listed node, storage node or relay, is a service node for clients.
    expect(sources('swarm-store')).toEqual([
      { from: 'entry-relay,swarm-store,registry,push', ports: 'grpc' },
      { from: 'anyone', ports: 'http' },
      { from: 'monitoring', ports: 'ops' },
    ]);
    expect(sources('entry-relay')).toEqual([
      { from: 'entry-relay,swarm-store,registry', ports: 'grpc' },
      { from: 'anyone', ports: 'http' },
      { from: 'monitoring', ports: 'ops' },
    ]);
    expect(sources('registry')).toEqual([
      { from: 'swarm-store,entry-relay,registry,push', ports: 'grpc' },
      { from: 'anyone', ports: 'http' },
      { from: 'monitoring', ports: 'ops' },
    ]);
    for (const server of ['file-server', 'push']) {
      expect(sources(server)).toEqual([
        { from: 'entry-relay,swarm-store', ports: 'http' },
        { from: 'monitoring', ports: 'ops' },
      ]);
    }
  });

  it('swarm-store: a public Service per node, selecting that pod only, with the public port only', () => {
    if (unavailable) return;
    const { objects } = render(chartDir('swarm-store'), [path.join(chartDir('swarm-store'), 'ci', 'minimal-values.yaml')]);
    const sts = objects.find((o) => o.kind === 'StatefulSet')!;
    const publics = objects.filter((o) => o.kind === 'Service' && o.metadata.labels?.['starling.io/public-node'] === 'true');
    expect(publics.map((o) => o.metadata.name)).toEqual(Array.from({ length: sts.spec.replicas }, (_, i) => `demo-swarm-store-${i}-public`));
    for (const [i, svc] of publics.entries()) {
      expect(svc.spec).toMatchObject({ type: 'LoadBalancer', externalTrafficPolicy: 'Local', ports: [{ name: 'http', port: 22021, targetPort: 'http', protocol: 'TCP' }] });
      expect(svc.spec.selector['statefulset.kubernetes.io/pod-name']).toBe(`demo-swarm-store-${i}`);
    }
    // Without addresses the nodes publish their pod IP (in-cluster only).
    const env = sts.spec.template.spec.containers[0].env.map((e: { name: string }) => e.name);
    expect(env).not.toContain('SWARM_STORE_PUBLIC_ADDRESSES');
    expect(env).toEqual(expect.arrayContaining(['SWARM_STORE_BUCKET_CAPACITY', 'SWARM_STORE_PROXY_ALLOW', 'SWARM_STORE_RATE_LIMIT_SECRET']));
  });

  it('swarm-store: every node gets the address list and its ordinal; node ports go to the per-pod Services', () => {
    if (unavailable) return;
    const { objects } = render(chartDir('swarm-store'), [path.join(chartDir('swarm-store'), 'ci', 'public-addresses-values.yaml')]);
    const env = objects.find((o) => o.kind === 'StatefulSet')!.spec.template.spec.containers[0].env as { name: string; value?: string }[];
    const value = (name: string) => env.find((e) => e.name === name)?.value;
    expect(value('SWARM_STORE_PUBLIC_ADDRESSES')).toBe('198.51.100.11:30021,198.51.100.12:30022,198.51.100.13:30023');
    expect(value('SWARM_STORE_NODE_INDEX')).toBe('$(POD_INDEX)');
    expect(env.findIndex((e) => e.name === 'POD_INDEX')).toBeLessThan(env.findIndex((e) => e.name === 'SWARM_STORE_NODE_INDEX'));
    const publics = objects.filter((o) => o.kind === 'Service' && o.metadata.labels?.['starling.io/public-node'] === 'true');
    expect(publics.map((o) => [o.spec.type, o.spec.ports[0].nodePort])).toEqual([
      ['NodePort', 30021],
      ['NodePort', 30022],
      ['NodePort', 30023],
    ]);
    // On a LoadBalancer, an entry without a port gets the Service's.
    const lb = render(chartDir('swarm-store'), [path.join(__dirname, 'fixtures', 'store-addresses.yaml')]);
    expect(lb.stderr).toBe('');
    const lbEnv = lb.objects.find((o) => o.kind === 'StatefulSet')!.spec.template.spec.containers[0].env as { name: string; value?: string }[];
    expect(lbEnv.find((e) => e.name === 'SWARM_STORE_PUBLIC_ADDRESSES')?.value).toBe('203.0.113.10:443,store-1.example.org:443');
  });

  it.each([
    ['store-addresses-too-few.yaml', 'swarm-store: publicService.addresses has 1 entries for 2 nodes (replicaCount): give one per node, in pod ordinal order, or none'],
    ['store-nodeport-without-port.yaml', 'swarm-store: publicService.addresses[1] (198.51.100.12) needs its node port (host:port) with publicService.type NodePort'],
  ])('swarm-store: %s is refused with a clear message', (fixture, message) => {
    if (unavailable) return;
    const result = render(chartDir('swarm-store'), [path.join(__dirname, 'fixtures', fixture)]);
    expect(result.ok).toBe(false);
    expect(result.stderr).toContain(message);
  });

  it('TLS: the operator certificate is mounted read-only and named to the node; without one, nothing (self-signed in /data); plainHttp says so', () => {
    if (unavailable) return;
    const containerOf = (o: K8sObject) => o.spec.template.spec.containers[0];
    const tlsOf = (o: K8sObject) => {
      const c = containerOf(o);
      return {
        env: (c.env as { name: string; value?: string }[]).filter((e) => /_(TLS_CERT|TLS_KEY|PLAIN_HTTP)$/.test(e.name)).map((e) => `${e.name}=${e.value}`),
        mount: (c.volumeMounts as { name: string; mountPath: string; readOnly?: boolean }[]).find((m) => m.name === 'tls'),
        volume: (o.spec.template.spec.volumes as { name: string; secret?: { secretName: string } }[]).find((v) => v.name === 'tls')?.secret?.secretName,
      };
    };
    const store = render(chartDir('swarm-store'), [path.join(chartDir('swarm-store'), 'ci', 'public-addresses-values.yaml')]).objects.find((o) => o.kind === 'StatefulSet')!;
    expect(tlsOf(store)).toEqual({ env: ['SWARM_STORE_TLS_CERT=/tls/tls.crt', 'SWARM_STORE_TLS_KEY=/tls/tls.key'], mount: { name: 'tls', mountPath: '/tls', readOnly: true }, volume: 'storage-nodes-tls' });
    const relays = render(chartDir('entry-relay'), [path.join(chartDir('entry-relay'), 'ci', 'ha-values.yaml')]).objects.filter((o) => o.kind === 'Deployment');
    expect(tlsOf(relays.find((o) => o.metadata.name === 'demo-entry-relay-a')!)).toEqual({ env: ['ENTRY_RELAY_TLS_CERT=/tls/tls.crt', 'ENTRY_RELAY_TLS_KEY=/tls/tls.key'], mount: { name: 'tls', mountPath: '/tls', readOnly: true }, volume: 'relay-a-tls' });
    expect(tlsOf(relays.find((o) => o.metadata.name === 'demo-entry-relay-b')!)).toEqual({ env: [], mount: undefined, volume: undefined });
    const plain = render(chartDir('swarm-store'), [path.join(__dirname, 'fixtures', 'store-plain-http.yaml')]).objects.find((o) => o.kind === 'StatefulSet')!;
    expect(tlsOf(plain)).toEqual({ env: ['SWARM_STORE_PLAIN_HTTP=true'], mount: undefined, volume: undefined });
  });

  it('entry-relay: a group listed twice is refused', () => {
    if (unavailable) return;
    const result = render(chartDir('entry-relay'), [path.join(__dirname, 'fixtures', 'relay-group-twice.yaml')]);
    expect(result.ok).toBe(false);
    expect(result.stderr).toContain('relay group "a" is listed twice');
  });

  it.each(['registry', 'file-server', 'open-groups', 'push'])('%s: several replicas without PostgreSQL are refused with a clear message', (chart) => {
    if (unavailable) return;
    const result = render(chartDir(chart), [path.join(__dirname, 'fixtures', 'two-replicas.yaml')]);
    expect(result.ok).toBe(false);
    expect(result.stderr).toContain(`${chart}: more than one replica needs PostgreSQL (set database.url, database.existingSecret or global.database)`);
  });

  it('push: provider credentials given as values go into its own Secret; replicas without Redis and half an APNs setup are refused', () => {
    if (unavailable) return;
    const { objects } = render(chartDir('push'), [path.join(chartDir('push'), 'ci', 'providers-from-values-values.yaml')]);
    const secret = objects.find((o) => o.kind === 'Secret' && o.metadata.name === 'demo-push-providers')!;
    expect(Object.keys(secret.data!).sort()).toEqual(['key.p8', 'service-account.json']);
    const env = objects.find((o) => o.kind === 'Deployment')!.spec.template.spec.containers[0].env as { name: string; valueFrom?: { secretKeyRef: { name: string } } }[];
    expect(env.filter((e) => e.valueFrom?.secretKeyRef.name === 'demo-push-providers').map((e) => e.name)).toEqual(['PUSH_FCM_SERVICE_ACCOUNT', 'PUSH_APNS_KEY']);
    const noRedis = render(chartDir('push'), [path.join(__dirname, 'fixtures', 'push-without-redis.yaml')]);
    expect(noRedis.ok).toBe(false);
    expect(noRedis.stderr).toContain('push: more than one replica needs Redis');
    const halfApns = render(chartDir('push'), [path.join(__dirname, 'fixtures', 'push-apns-half.yaml')]);
    expect(halfApns.ok).toBe(false);
    expect(halfApns.stderr).toContain('push: providers.apns needs keyId');
  });

  it('helm install with no values: one registry, file server and community server on embedded storage, storage nodes with their own volumes', () => {
    if (unavailable) return;
    const { ok, stderr, objects } = render(chartDir(UMBRELLA_CHART), []);
    expect(stderr).toBe('');
    expect(ok).toBe(true);
    for (const component of ['registry', 'file-server', 'open-groups', 'push']) {
      const d = objects.find((o) => o.kind === 'Deployment' && o.metadata.labels?.['app.kubernetes.io/component'] === component)!;
      expect({ component, replicas: d.spec.replicas }).toEqual({ component, replicas: 1 });
      const env = d.spec.template.spec.containers[0].env.map((e: { name: string }) => e.name);
      expect(env).not.toContain('DATABASE_URL');
    }
    const sts = objects.find((o) => o.kind === 'StatefulSet')!;
    expect(sts.spec.volumeClaimTemplates.map((v: K8sObject) => v.metadata.name)).toEqual(['data']);
    expect(objects.filter((o) => o.kind === 'HorizontalPodAutoscaler' && o.metadata.labels?.['app.kubernetes.io/component'] !== 'entry-relay')).toEqual([]);
  });

  it('drain: each service gets its ops port and drain delay, and a grace period shorter than drain + close is refused', () => {
    if (unavailable) return;
    const { objects } = render(chartDir(UMBRELLA_CHART), []);
    const prefixes: Record<string, string> = { registry: 'REGISTRY', 'swarm-store': 'SWARM_STORE', 'entry-relay': 'ENTRY_RELAY', 'file-server': 'FILE_SERVER', 'open-groups': 'OPEN_GROUPS', push: 'PUSH' };
    for (const { owner, pod } of podSpecs(objects)) {
      const component = owner.metadata.labels!['app.kubernetes.io/component']!;
      const env = Object.fromEntries(pod.spec.containers[0].env.map((e: { name: string; value?: string }) => [e.name, e.value]));
      const drain = component === 'entry-relay' ? 15 : 5;
      expect({ component, ops: env[`${prefixes[component]}_OPS_PORT`], drain: env[`${prefixes[component]}_DRAIN_DELAY`] }).toEqual({ component, ops: '9400', drain: `${drain}s` });
      expect(pod.spec.terminationGracePeriodSeconds).toBeGreaterThan(drain + 10);
      expect(pod.spec.containers[0].lifecycle).toBeUndefined();
    }
    const tooShort = render(chartDir('registry'), [path.join(__dirname, 'fixtures', 'grace-too-short.yaml')]);
    expect(tooShort.ok).toBe(false);
    expect(tooShort.stderr).toContain('registry: terminationGracePeriodSeconds (12) must be longer than shutdown.drainDelaySeconds + shutdown.closeSeconds (15): raise terminationGracePeriodSeconds');
  });

  it('monitoring: the ServiceMonitor scrapes the ops Service and names series after the Starling service, without honorLabels', () => {
    if (unavailable) return;
    const { objects } = render(chartDir(UMBRELLA_CHART), [path.join(__dirname, 'fixtures', 'all-monitoring.yaml')]);
    const monitors = objects.filter((o) => o.kind === 'ServiceMonitor');
    expect(monitors).toHaveLength(SERVICE_CHARTS.length);
    for (const sm of monitors) {
      const [endpoint] = sm.spec.endpoints;
      expect(endpoint.port).toBe('ops');
      expect(endpoint.honorLabels).toBeUndefined();
      expect(endpoint.relabelings[0]).toEqual({ action: 'replace', sourceLabels: ['__meta_kubernetes_service_label_app_kubernetes_io_component'], targetLabel: 'service' });
      expect(sm.spec.jobLabel).toBe('app.kubernetes.io/component');
      const selected = objects.filter((o) => o.kind === 'Service' && matches(sm.spec.selector.matchLabels, o.metadata.labels));
      expect(selected.map((o) => o.metadata.name)).toEqual([`${sm.metadata.name}-ops`]);
      expect(selected[0]!.metadata.labels!['app.kubernetes.io/component']).toBe(sm.metadata.labels!['app.kubernetes.io/component']);
    }
  });

  it('a plain database URL goes into the chart Secret, never into the pod spec', () => {
    if (unavailable) return;
    const { objects } = render(chartDir('registry'), [path.join(__dirname, 'fixtures', 'global-database.yaml')]);
    const secret = objects.find((o) => o.kind === 'Secret' && o.metadata.name === 'demo-registry-env')!;
    expect(secret.stringData).toEqual({ DATABASE_URL: 'postgres://starling:pw@pg-rw.db.svc:5432/starling' });
    const deployment = objects.find((o) => o.kind === 'Deployment')!;
    expect(JSON.stringify(deployment)).not.toContain('pg-rw.db.svc');
    expect(deployment.spec.template.metadata.annotations['checksum/env-secret']).toMatch(/^[0-9a-f]{64}$/);
  });
});
