// What an operator's dashboards will see: the whole local network scraped by a real Prometheus,
// traffic through every service (messages and a file through onion paths, a push notification,
// community posts and polls, refused requests, a storage node lost mid-write), then every metric
// each Grafana dashboard queries must be in Prometheus with data, from the service the query names.
import { randomBytes } from 'crypto';
import { request as httpsRequest } from 'https';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join, relative } from 'path';
import {
  AccountStore,
  downloadAttachment,
  fetchServiceNodes,
  Inbox,
  MessageSender,
  nodeUrl,
  parseFileServer,
  PushClient,
  readAttachmentPointer,
  readPushNotice,
  StarlingNetwork,
  uploadAttachment,
} from '@starling/client';
import { generateIdentity, ready } from '@starling/crypto';
import { eventually, request, uniqueName } from '@starling/platform';
import { dashboardFiles, readJson, REPO_ROOT } from '../charts/charts';
import { dashboardQueries, EXTERNAL_SERIES, metricNamesInPromQL, metricNamesInVariableQuery, serviceLabelValues } from '../charts/metric-names';
import { dropDevnetSchemas, edgeServices, startDevnet, type Devnet, type EdgeDirectory } from '../src/devnet';
import { startPrometheus, type RunningPrometheus } from '../src/support/prometheus';
import { startPushEndpoint, type PushEndpoint } from '../src/support/push-endpoint';
import { SessionAccount } from './support/session-account';
import { SogsUser } from './support/sogs-request';

// Small relay buckets, so that a burst from one address is refused (relay_admission_rejections_total)
// while the clients' own traffic stays well inside them.
const RELAY_BUCKET = { ENTRY_RELAY_BUCKET_CAPACITY: '40', ENTRY_RELAY_BUCKET_REFILL: '10' };
const BURST_ADDRESS = '127.0.0.99';

const schemaPrefix = uniqueName('obs');
const directory: EdgeDirectory = {};
const folders: string[] = [];
const networks: StarlingNetwork[] = [];
let devnet: Devnet | undefined;
let prometheus: RunningPrometheus | undefined;
let pushEndpoint: PushEndpoint | undefined;

beforeAll(async () => {
  await ready();
  // The phone's UnifiedPush endpoint, on loopback (the push server allows it on a local network).
  pushEndpoint = await startPushEndpoint();
  const dataDir = mkdtempSync(join(tmpdir(), 'starling-obs-net-'));
  folders.push(dataDir);
  // The file server creates its subfolders but not its data folder.
  mkdirSync(join(dataDir, 'file-server'), { recursive: true });
  devnet = await startDevnet({
    dataDir,
    storeNodes: 3,
    fastTimings: true,
    databaseUrl: process.env.DATABASE_URL,
    redisUrl: process.env.REDIS_URL,
    schemaPrefix,
    extraServices: edgeServices({ relays: 4, push: true, relayEnv: RELAY_BUCKET }, directory),
  });
  // Targets labelled as the charts' ServiceMonitor labels them (`service` from the component).
  prometheus = await startPrometheus(
    devnet.services.map((s) => ({ service: s.spec.service, address: new URL(s.opsUrl).host })),
    1_000,
  );
  // Relays are usable once listed and following the map (they answer get_swarm).
  const probe = generateIdentity().identity.sessionId;
  await eventually(async () => {
    const relays = (await fetchServiceNodes(devnet!.seedUrl)).filter((n) => n.role === 'relay');
    if (relays.length < 4) throw new Error(`${relays.length} relays listed`);
    for (const relay of relays) {
      const reply = await request(nodeUrl(relay, '/storage_rpc/v1'), { method: 'POST', body: JSON.stringify({ method: 'get_swarm', params: { pubkey: probe } }) });
      if (reply.status !== 200) throw new Error(`relay ${relay.port} answered ${reply.status}`);
    }
  }, { timeoutMs: 60_000, intervalMs: 250 });
}, 200_000);

afterAll(async () => {
  await prometheus?.stop();
  await devnet?.stop();
  await pushEndpoint?.close();
  for (const f of folders) rmSync(f, { recursive: true, force: true });
  await dropDevnetSchemas(process.env.DATABASE_URL, schemaPrefix);
}, 60_000);

async function device() {
  const home = mkdtempSync(join(tmpdir(), 'starling-obs-device-'));
  folders.push(home);
  const store = new AccountStore(home);
  const identity = store.createIdentity(generateIdentity().seed16);
  const network = await StarlingNetwork.connect({ seedUrl: devnet!.seedUrl, sessionId: identity.sessionId, timeoutMs: 30_000 });
  networks.push(network);
  return { home, identity, network, sender: new MessageSender(store, network.swarm), inbox: new Inbox(store, network.swarm) };
}

/** POST from a given loopback address (fetch cannot pick its source address). */
function postFrom(localAddress: string, url: string, body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest(url, { method: 'POST', localAddress, agent: false, rejectUnauthorized: false, headers: { 'content-type': 'application/json' } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end(body);
  });
}

interface Expected {
  dashboard: string;
  metric: string;
  /** `service` label values the dashboard's selectors on this metric ask for (empty: any). */
  services: Set<string>;
}

/**
 * Series with no source here: the kubelet's volume statistics (from the cluster, not the services),
 * and Redis round trips when the network runs without Redis (the in-process store has none).
 */
const NO_LOCAL_SOURCE = new Set([
  ...[...EXTERNAL_SERIES.keys()].filter((name) => name !== 'up'),
  ...(process.env.REDIS_URL ? [] : ['redis_command_duration_seconds_bucket', 'redis_command_duration_seconds_count', 'redis_command_duration_seconds_sum']),
]);

/** Every (dashboard, metric) pair the dashboards query, with the services their selectors name. */
function dashboardMetrics(): Expected[] {
  const out = new Map<string, Expected>();
  for (const file of dashboardFiles()) {
    const dashboard = relative(REPO_ROOT, file);
    for (const q of dashboardQueries(readJson(file))) {
      const selectors = [...q.expr.matchAll(/([a-zA-Z_:][a-zA-Z0-9_:]*)\s*\{([^}]*)\}/g)];
      for (const metric of q.variable ? metricNamesInVariableQuery(q.expr) : metricNamesInPromQL(q.expr)) {
        if (NO_LOCAL_SOURCE.has(metric)) continue;
        const key = `${dashboard}\0${metric}`;
        const entry = out.get(key) ?? { dashboard, metric, services: new Set<string>() };
        for (const s of selectors) if (s[1] === metric) serviceLabelValues(`{${s[2]}}`).forEach((v) => entry.services.add(v));
        out.set(key, entry);
      }
    }
  }
  return [...out.values()];
}

/**
 * What Prometheus lacks for one expectation: the metric entirely, or the series of some service.
 * `service` is the label the scrape configuration sets (as the charts' ServiceMonitor does): a
 * series without it would be invisible to every dashboard and alert, so it counts as missing.
 */
async function missingFor(p: RunningPrometheus, e: Expected): Promise<string | undefined> {
  const result = await p.query(`count by (service) ({__name__=${JSON.stringify(e.metric)}})`);
  if (result.length === 0) return `${e.dashboard}: ${e.metric} has no data`;
  const seen = new Set(result.map((r) => r.metric.service ?? '(no service label)'));
  const absent = [...e.services].filter((s) => !seen.has(s));
  return absent.length ? `${e.dashboard}: ${e.metric} has no data from ${absent.join(', ')} (only ${[...seen].join(', ')})` : undefined;
}

it('every metric each dashboard queries has data in Prometheus after traffic through every service', async () => {
  const net = devnet!;
  const expected = dashboardMetrics();
  // Not vacuous: the five dashboards and dozens of metrics are there to be checked.
  expect(new Set(expected.map((e) => e.dashboard)).size).toBeGreaterThanOrEqual(5);
  expect(expected.length).toBeGreaterThan(40);

  // Messages through onion paths: stores, swarm replication, retrieves, relay hops.
  const alice = await device();
  const bob = await device();

  // Bob's phone subscribes for notifications through an onion path, as a Session app does; the push
  // server then watches Bob's swarm (a monitor subscription at every member).
  const phone = '/bob-phone';
  const noticeKey = randomBytes(32);
  const push = new PushClient(bob.network.onion, { url: directory.push!.url, key: directory.push!.pubkey }, bob.identity);
  expect((await push.subscribe({ service: 'unifiedpush', endpoint: pushEndpoint!.origin + phone }, { encKey: noticeKey })).added).toBe(true);
  const members = await bob.network.swarm.swarmOf(bob.identity.sessionId);
  const bobSwarm = net.stores.filter((s) => members.some((m) => m.ed25519 === s.info.pubkey));
  expect(bobSwarm.length).toBe(members.length);
  await eventually(async () => {
    for (const node of bobSwarm) {
      const text = await (await fetch(new URL('metrics', node.opsUrl))).text();
      expect(Number(/^swarm_store_monitor_subscriptions(?:\{[^}]*\})? (\d+)/m.exec(text)?.[1] ?? 0)).toBeGreaterThan(0);
    }
  }, 30_000);

  // Alice's message reaches Bob's swarm, and its notice Bob's phone.
  const sent = await alice.sender.sendText(bob.identity.sessionId, 'hello Bob');
  await eventually(async () => expect((await bob.inbox.poll()).entries.map((e) => e.text)).toEqual(['hello Bob']), 30_000);
  await eventually(() => {
    const notices = pushEndpoint!.received.filter((r) => r.path === phone).map((r) => readPushNotice(r.body, noticeKey));
    expect(notices.map((n) => n.metadata.hash)).toContain(sent.hash);
  }, 30_000);
  await bob.sender.sendText(alice.identity.sessionId, 'hi Alice');
  await eventually(async () => expect((await alice.inbox.poll()).entries.map((e) => e.text)).toEqual(['hi Alice']), 30_000);

  // A file up and down through the onion, and one request for a file that does not exist.
  const server = parseFileServer(directory.fileServer!.url, directory.fileServer!.pubkey);
  const data = randomBytes(50_000);
  const { pointer } = await uploadAttachment(alice.network.onion, server, data, { fileName: 'photo.jpg', contentType: 'image/jpeg' }, { pad: true });
  const saved = await downloadAttachment(bob.network.onion, readAttachmentPointer(pointer), join(bob.home, 'saved'), undefined);
  expect(readFileSync(saved).equals(data)).toBe(true);
  expect((await fetch(`${directory.fileServer!.url}/file/${randomBytes(33).toString('base64url')}`)).status).toBe(404);

  // The community: a post in the lobby through the onion, a poll directly, a forged signature.
  const community = directory.community!;
  const member = new SogsUser(community.pubkey);
  const post = Buffer.from(JSON.stringify({ data: randomBytes(64).toString('base64'), signature: randomBytes(64).toString('base64') }));
  const posted = await alice.network.onion.serverRequest(
    { host: '127.0.0.1', port: community.port, protocol: 'http', x25519: community.pubkey },
    { meta: { method: 'POST', endpoint: '/room/lobby/message', headers: member.headers('POST', '/room/lobby/message', post) }, body: post },
  );
  expect(posted.code).toBe(201);
  const poll = await fetch(`${community.url}/room/lobby/messages/recent`, { headers: member.headers('GET', '/room/lobby/messages/recent') });
  expect(poll.status).toBe(200);
  expect(((await poll.json()) as Array<{ session_id: string }>).map((m) => m.session_id)).toEqual([member.id]);
  const forged = member.headers('GET', '/room/lobby/messages/recent');
  forged['X-SOGS-Signature'] = randomBytes(64).toString('base64');
  expect((await fetch(`${community.url}/room/lobby/messages/recent`, { headers: forged })).status).toBe(401);

  // A burst from one address at one relay: its bucket runs dry and the rest is refused (429).
  const relay = net.services.find((s) => s.spec.service === 'entry-relay')!;
  const statuses = await Promise.all(
    Array.from({ length: 150 }, () => postFrom(BURST_ADDRESS, new URL('storage_rpc/v1', relay.httpUrl).href, '{}')),
  );
  expect(statuses).toContain(429);

  // A storage node lost: a write its swarm peer accepts cannot be forwarded to it
  // (swarm_store_replication_failures_total). Last, so that nothing above depends on it.
  const [survivor, victim] = [net.stores[0]!, net.stores.find((s) => s.info.swarm === net.stores[0]!.info.swarm && s !== net.stores[0])!];
  expect(victim).toBeDefined();
  await victim.kill('SIGKILL');
  const account = new SessionAccount();
  const stored = await request(new URL('storage_rpc/v1', survivor.httpUrl).href, { method: 'POST', body: JSON.stringify({ method: 'store', params: account.store('after the loss') }) });
  expect(stored.status).toBe(200);

  const p = prometheus!;
  let missing: string[] = [];
  try {
    await eventually(async () => {
      missing = (await Promise.all(expected.map((e) => missingFor(p, e)))).filter((m): m is string => m !== undefined);
      if (missing.length) throw new Error('metrics missing');
    }, { timeoutMs: 60_000, intervalMs: 1_000 });
  } catch {
    /* reported below, all at once */
  }
  expect(missing).toEqual([]);
  // The services label nothing `service` themselves: Prometheus would have kept theirs as exported_service.
  expect(await p.query('count({exported_service!=""})')).toEqual([]);
  // The check itself can fail: a name nobody emits, and a real metric asked of the wrong service.
  expect(await missingFor(p, { dashboard: 'control', metric: 'starling_no_such_metric', services: new Set() })).toBe('control: starling_no_such_metric has no data');
  expect(await missingFor(p, { dashboard: 'control', metric: 'registry_map_version', services: new Set(['swarm-store']) })).toMatch(/no data from swarm-store/);
}, 200_000);
