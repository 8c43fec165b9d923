// Every public surface of a running network, tried as an attacker would (issue 15): random bytes,
// truncated and 10,000-deep JSON, huge numbers, wrong types, bad base64, forged and replayed
// signatures, unknown methods, header floods, lengths that lie, oversized bodies — directly and
// inside onion requests built as Session clients build them. Every answer must be a refusal (a
// 4xx, or the protocol's documented form of one), never a 5xx, a reset or an amplified echo; every
// service answers a valid request afterwards; none logs at error level. Then slow clients: many
// connections trickling bodies, sending headers slowly, or reading nothing, while others are
// served as usual. One network for all of it.
//
// The surfaces: the seed API, a storage node and a relay (storage RPC and onion hops), and the
// servers behind exit nodes — file server, community server and push server (/subscribe and
// /unsubscribe, which answer every refusal as HTTP 200 with upstream's {"error": N}). The push
// server offers FCM and APNs too, with keys of its own and addresses that never answer, so that
// their device tokens are checked; no hostile case gets as far as a delivery.
import { generateKeyPairSync } from 'crypto';
import { mkdtempSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { ready, utf8, type OnionEncType } from '@starling/crypto';
import { eventually, request, uniqueName } from '@starling/platform';
import { edgeServices, startDevnet, type Devnet, type EdgeDirectory, type ServiceProcess } from '../src/devnet';
import { communityCases } from './support/hostile/community-cases';
import { fileServerCases } from './support/hostile/file-server-cases';
import type { HostileCase } from './support/hostile/hostile-case';
import { merge, runHostile, type HostileRun } from './support/hostile/hostile-runner';
import { rawHttpCases, runRaw } from './support/hostile/http-cases';
import {
  caseAsExitNodePost,
  caseThroughOnion,
  junkV3Payloads,
  junkV4Payloads,
  onionBlobCases,
  rpcThroughOnion,
  v3PayloadAsExitNodePost,
  v4PayloadAsExitNodePost,
  v4PayloadThroughOnion,
  type OnionNode,
  type OnionServer,
} from './support/hostile/onion-cases';
import { pushCases, PUSH_ROUTE_CAP, PUSH_SUBSCRIBE_PATH, PUSH_UNSUBSCRIBE_PATH } from './support/hostile/push-cases';
import { rawTarget } from './support/hostile/raw-http';
import { seedCases, SEED_PATH } from './support/hostile/seed-cases';
import { LogWatch } from './support/hostile/service-logs';
import { SlowClients, latencies, ratio } from './support/hostile/slow-clients';
import { storageRpcCases, STORAGE_RPC_PATH } from './support/hostile/storage-rpc-cases';
import { Rng } from './support/hostile/values';
import { PushSubscriber, type PushTargetFields } from './support/push-subscriber';
import { SessionAccount } from './support/session-account';
import { SogsUser } from './support/sogs-request';

/** Every case is drawn from this seed: a failure can be replayed with HOSTILE_SEED=<seed>. */
const SEED = Number(process.env.HOSTILE_SEED ?? 15_2026);
const rng = new Rng(SEED);
const MIN_CASES = 300;
const ENC_TYPES: OnionEncType[] = ['aes-gcm', 'xchacha20'];
const schemaPrefix = uniqueName('hostile');

interface ListedNode extends OnionNode {
  url: string;
  role: string;
}

let devnet: Devnet | undefined;
const directory: EdgeDirectory = {};
let logs: LogWatch;
let stores: ListedNode[] = [];
let relays: ListedNode[] = [];
let fileServer: OnionServer & { url: string };
let community: OnionServer & { url: string };
let pushServer: OnionServer & { url: string };
let fileId: string;
/** Where the push server would deliver: a UnifiedPush endpoint that never gets a notice here. */
const PUSH_ENDPOINT = 'http://127.0.0.1:9/hostile-input';
const PUSH_TARGET: PushTargetFields = { service: 'unifiedpush', service_info: { endpoint: PUSH_ENDPOINT } };

const encType = (i: number) => ENC_TYPES[i % 2]!;

/** The run's failures must be none, and it must have sent at least `minimum` cases. */
function expectAllRefused(name: string, run: HostileRun, minimum = MIN_CASES): void {
  console.info(`${name}: ${run.sent} hostile requests (seed ${SEED}), answers ${JSON.stringify(run.statuses)}`);
  expect(run.failures).toEqual([]);
  expect(run.sent).toBeGreaterThanOrEqual(minimum);
}

async function json(url: string, body: unknown): Promise<any> {
  const res = await request(url, { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
  return { status: res.status, body: JSON.parse(res.text) };
}

/**
 * FCM and APNs for the push server, with keys made here and addresses where nothing listens: the
 * server offers both services and checks their device tokens; nothing is ever delivered.
 */
function offlinePushProviders(): Record<string, string> {
  const pem = (type: 'rsa' | 'ec') =>
    (type === 'rsa' ? generateKeyPairSync('rsa', { modulusLength: 2048 }) : generateKeyPairSync('ec', { namedCurve: 'prime256v1' })).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  return {
    PUSH_FCM_SERVICE_ACCOUNT: JSON.stringify({ type: 'service_account', project_id: 'starling-hostile', client_email: 'push@starling-hostile.iam.gserviceaccount.com', private_key: pem('rsa'), token_uri: 'http://127.0.0.1:9/token' }),
    PUSH_FCM_ENDPOINT: 'http://127.0.0.1:9',
    PUSH_APNS_KEY: pem('ec'),
    PUSH_APNS_KEY_ID: 'HOSTILE001',
    PUSH_APNS_TEAM_ID: 'HOSTILE002',
    PUSH_APNS_TOPIC: 'org.starling.hostile',
    PUSH_APNS_ORIGIN: 'https://127.0.0.1:9',
  };
}

beforeAll(async () => {
  await ready();
  devnet = await startDevnet({
    dataDir: mkdtempSync(join(tmpdir(), 'starling-hostile-')),
    storeNodes: 3,
    fastTimings: true,
    databaseUrl: process.env.DATABASE_URL,
    redisUrl: process.env.REDIS_URL,
    schemaPrefix,
    extraServices: edgeServices({ relays: 2, fileServer: true, community: true, push: true, rooms: ['lobby'], pushEnv: offlinePushProviders() }, directory),
  });
  const listed = await eventually(async () => {
    const answer = await json(`${devnet!.seedUrl}json_rpc`, { method: 'get_n_service_nodes', params: {} });
    const nodes = answer.body.result.service_node_states as { role: string; public_ip: string; storage_port: number; pubkey_ed25519: string; pubkey_x25519: string }[];
    expect(nodes.filter((n) => n.role === 'relay')).toHaveLength(2);
    return nodes;
  }, 60_000);
  const node = (n: (typeof listed)[number]): ListedNode => ({ url: `https://${n.public_ip}:${n.storage_port}`, role: n.role, ed25519: n.pubkey_ed25519, x25519: n.pubkey_x25519 });
  stores = listed.filter((n) => n.role === 'store').map(node);
  relays = listed.filter((n) => n.role === 'relay').map(node);
  // Onion requests are encrypted to a server's X25519 key: the file and push servers' are derived from their Ed25519 ones.
  const server = (entry: { url: string; port: number }, x25519: string) => ({ url: entry.url, host: '127.0.0.1', port: entry.port, protocol: 'http' as const, x25519 });
  fileServer = server(directory.fileServer!, directory.fileServer!.x25519);
  community = server(directory.community!, directory.community!.pubkey);
  pushServer = server(directory.push!, directory.push!.x25519);
  const uploaded = await request(`${fileServer.url}/file`, { body: 'a file that is there' });
  fileId = JSON.parse(uploaded.text).id;
  logs = new LogWatch(devnet.services);
  await logs.mark();
}, 300_000);

afterAll(() => devnet?.discard(), 60_000);

describe('the seed API (registry POST /json_rpc)', () => {
  // The registry is no onion destination; the same node-list query travels by onion as a node's
  // oxend_request, which the storage node and relay suites send.
  it('refuses hostile JSON-RPC and hostile HTTP with a 4xx or a JSON-RPC error', async () => {
    const seed = devnet!.seedUrl.replace(/\/$/, '');
    const run = merge(await runHostile(seed, 'direct', seedCases(rng, 50)), await runRaw(rawTarget(seed), 'raw', rawHttpCases(rng, { method: 'POST', path: SEED_PATH, maxBodyBytes: 8 * 1024 })));
    expectAllRefused('seed', run);
  }, 300_000);

  it('still serves the node list', async () => {
    const answer = await json(`${devnet!.seedUrl}json_rpc`, { jsonrpc: '2.0', id: 1, method: 'get_n_service_nodes', params: { limit: 2 } });
    expect(answer.status).toBe(200);
    expect(answer.body.result.service_node_states).toHaveLength(2);
  });
});

/** The storage RPC surface of a listed node, directly and as the destination of onion paths. */
function nodeSurface(name: string, target: () => ListedNode, guard: () => ListedNode): void {
  describe(name, () => {
    it('refuses hostile storage RPCs and hostile HTTP sent directly', async () => {
      const node = target();
      const run = merge(
        await runHostile(node.url, 'direct', storageRpcCases(rng)),
        await runRaw(rawTarget(node.url), 'raw', rawHttpCases(rng, { method: 'POST', path: STORAGE_RPC_PATH, maxBodyBytes: 10 * 1024 * 1024 })),
      );
      expectAllRefused(`${name}, direct`, run);
    }, 300_000);

    it('refuses hostile storage RPCs sealed in onion requests, and hostile onion blobs', async () => {
      const node = target();
      const sealed = storageRpcCases(rng).map((c, i) => rpcThroughOnion(c, [guard()], node, encType(i)));
      const blobs = ENC_TYPES.flatMap((e) => onionBlobCases(rng, node, e));
      const run = merge(await runHostile(guard().url, 'onion', sealed), await runHostile(node.url, 'onion blob', blobs));
      expectAllRefused(`${name}, onion`, run);
    }, 300_000);
  });
}

nodeSurface('a storage node', () => stores[0]!, () => relays[0]!);
nodeSurface('a relay', () => relays[1]!, () => relays[0]!);

describe('a storage node and a relay afterwards', () => {
  it('store and retrieve directly and through an onion path, and the relay answers info', async () => {
    const account = new SessionAccount();
    const swarm = (await json(`${stores[0]!.url}${STORAGE_RPC_PATH}`, { method: 'get_swarm', params: { pubkey: account.sessionId } })).body.snodes as { pubkey_ed25519: string }[];
    const member = stores.find((s) => s.ed25519 === swarm[0]!.pubkey_ed25519)!;
    const stored = await json(`${member.url}${STORAGE_RPC_PATH}`, { method: 'store', params: account.store('after the storm') });
    expect(stored.status).toBe(200);
    const retrieve = rpcThroughOnion({ what: 'retrieve', method: 'POST', path: STORAGE_RPC_PATH, body: JSON.stringify({ method: 'retrieve', params: account.retrieve() }) }, [relays[0]!], member, 'aes-gcm');
    const res = await request(`${relays[0]!.url}${retrieve.path}`, { method: 'POST', body: retrieve.body });
    const opened = retrieve.open!(res.status, res.body);
    expect(opened.status).toBe(200);
    expect(JSON.parse(opened.body.toString()).messages.map((m: { hash: string }) => m.hash)).toEqual([stored.body.hash]);
    expect((await json(`${relays[1]!.url}${STORAGE_RPC_PATH}`, { method: 'info', params: {} })).status).toBe(200);
  });
});

/** An HTTP server behind exit nodes: directly, through onion paths of relays, and as an exit node posts. */
function serverSurface(name: string, server: () => OnionServer & { url: string }, cases: () => HostileCase[], capped: { path: string; maxBodyBytes: number }): void {
  describe(name, () => {
    it('refuses hostile requests and hostile HTTP sent directly', async () => {
      const s = server();
      const run = merge(await runHostile(s.url, 'direct', cases()), await runRaw(rawTarget(s.url), 'raw', rawHttpCases(rng, { method: 'POST', ...capped })));
      expectAllRefused(`${name}, direct`, run);
    }, 300_000);

    it('refuses them inside onion requests through relays, as exit-node posts, and refuses junk v4 and v3 payloads', async () => {
      const s = server();
      const path = [relays[0]!, relays[1]!];
      const throughRelays = cases().map((c, i) => caseThroughOnion(c, path, s, encType(i)));
      const junkV4 = junkV4Payloads(rng).flatMap((j, i) => [
        v4PayloadThroughOnion({ what: `v4 ${j.what}` }, j.payload, path, s, encType(i)),
        v4PayloadAsExitNodePost({ what: `v4 ${j.what} [exit post]` }, j.payload, s, encType(i + 1)),
      ]);
      const junkV3 = junkV3Payloads(rng).map((j, i) => v3PayloadAsExitNodePost({ what: `v3 ${j.what}` }, j.payload, s, encType(i)));
      const exitPosts = cases()
        .filter((_, i) => i % 4 === 0)
        .map((c, i) => caseAsExitNodePost(c, s, encType(i)));
      const run = merge(await runHostile(relays[0]!.url, 'onion', [...throughRelays, ...junkV4.filter((c) => c.path === '/onion_req/v2')]), await runHostile(s.url, 'exit post', [...junkV4.filter((c) => c.path !== '/onion_req/v2'), ...junkV3, ...exitPosts]));
      expectAllRefused(`${name}, onion`, run);
    }, 300_000);
  });
}

serverSurface('the file server', () => fileServer, () => fileServerCases(rng, fileId), { path: '/file', maxBodyBytes: 10_223_616 });
// Signed cases carry nonces: each transport gets freshly signed ones.
serverSurface('the community server', () => community, () => communityCases(rng, community.x25519), { path: '/room/lobby/message', maxBodyBytes: 10 * 1024 * 1024 });
// Signed with sig_ts = now: each transport gets freshly signed ones.
serverSurface('the push server', () => pushServer, () => pushCases(rng, { endpoint: PUSH_ENDPOINT }), { path: PUSH_SUBSCRIBE_PATH, maxBodyBytes: PUSH_ROUTE_CAP });

describe('the file, community and push servers afterwards', () => {
  it('upload and download a file, and post to and read a room, directly and through an onion path', async () => {
    const upload = await request(`${fileServer.url}/file`, { body: utf8('still here') });
    expect(upload.status).toBe(200);
    const id = JSON.parse(upload.text).id as string;
    const download = caseThroughOnion({ what: 'download', method: 'GET', path: `/file/${id}` }, [relays[0]!, relays[1]!], fileServer, 'xchacha20');
    const got = await request(`${relays[0]!.url}${download.path}`, { method: 'POST', body: download.body });
    expect(download.open!(got.status, got.body)).toMatchObject({ status: 200, body: Buffer.from('still here') });

    const user = new SogsUser(community.x25519);
    const body = JSON.stringify({ data: Buffer.from('after the storm').toString('base64'), signature: Buffer.alloc(64, 1).toString('base64') });
    const post = caseThroughOnion({ what: 'post', method: 'POST', path: '/room/lobby/message', headers: { ...user.headers('POST', '/room/lobby/message', utf8(body)), 'content-type': 'application/json' }, body }, [relays[0]!, relays[1]!], community, 'aes-gcm');
    const posted = await request(`${relays[0]!.url}${post.path}`, { method: 'POST', body: post.body });
    expect(post.open!(posted.status, posted.body).status).toBe(201);
    const recent = await request(`${community.url}/room/lobby/messages/recent?limit=1`);
    expect(JSON.parse(recent.text)[0].data).toBe(Buffer.from('after the storm').toString('base64'));
  });

  it('subscribe an account to push through an onion path, and unsubscribe it directly', async () => {
    const bob = new PushSubscriber(rng.bytes(32));
    const body = JSON.stringify(bob.subscribe(PUSH_TARGET));
    const subscribe = caseThroughOnion({ what: 'subscribe', method: 'POST', path: PUSH_SUBSCRIBE_PATH, headers: { 'content-type': 'application/json' }, body }, [relays[0]!, relays[1]!], pushServer, 'xchacha20');
    const subscribed = await request(`${relays[0]!.url}${subscribe.path}`, { method: 'POST', body: subscribe.body });
    const opened = subscribe.open!(subscribed.status, subscribed.body);
    expect(opened.status).toBe(200);
    expect(JSON.parse(opened.body.toString('utf8'))).toEqual({ success: true, added: true, message: 'Subscription successful' });
    expect(await json(`${pushServer.url}${PUSH_UNSUBSCRIBE_PATH}`, bob.unsubscribe(PUSH_TARGET))).toEqual({ status: 200, body: { success: true, removed: true, message: 'Device unsubscribed from push notifications' } });
  });
});

describe('slow clients', () => {
  const slow = new SlowClients();
  afterAll(() => slow.close());

  /** An account that unsubscribes again and again: a valid, signed request with a real answer. */
  let prober: PushSubscriber;
  beforeAll(() => {
    prober = new PushSubscriber(rng.bytes(32));
  });
  /** The push server answers refusals with 200 too: only its success counts as the answer (0 otherwise). */
  const unsubscribeStatus = async () => {
    const answer = await json(`${pushServer.url}${PUSH_UNSUBSCRIBE_PATH}`, prober.unsubscribe(PUSH_TARGET));
    return answer.body.success === true ? answer.status : 0;
  };

  /** A valid request to every surface, and the answer it must get. */
  const probes = () => [
    { name: 'seed', send: async () => (await json(`${devnet!.seedUrl}json_rpc`, { method: 'get_n_service_nodes', params: { limit: 1 } })).status },
    { name: 'storage node', send: async () => (await json(`${stores[0]!.url}${STORAGE_RPC_PATH}`, { method: 'info', params: {} })).status },
    { name: 'relay', send: async () => (await json(`${relays[1]!.url}${STORAGE_RPC_PATH}`, { method: 'info', params: {} })).status },
    { name: 'file server', send: async () => (await request(`${fileServer.url}/file/${fileId}/info`)).status },
    { name: 'community server', send: async () => (await request(`${community.url}/capabilities`)).status },
    { name: 'push server', send: unsubscribeStatus },
  ];

  it('hold many connections open (trickled bodies, slow headers, readers that read nothing) and valid requests are still answered', async () => {
    const surfaces: { name: string; url: string; post: string; get: { method: string; path: string; body?: string } }[] = [
      { name: 'seed', url: devnet!.seedUrl, post: SEED_PATH, get: { method: 'POST', path: SEED_PATH, body: '{"method":"get_n_service_nodes","params":{}}' } },
      { name: 'storage node', url: stores[0]!.url, post: STORAGE_RPC_PATH, get: { method: 'POST', path: STORAGE_RPC_PATH, body: '{"method":"oxend_request","params":{"endpoint":"get_service_nodes"}}' } },
      { name: 'relay', url: relays[1]!.url, post: STORAGE_RPC_PATH, get: { method: 'POST', path: STORAGE_RPC_PATH, body: '{"method":"oxend_request","params":{"endpoint":"get_service_nodes"}}' } },
      { name: 'file server', url: fileServer.url, post: '/file', get: { method: 'GET', path: `/file/${fileId}` } },
      { name: 'community server', url: community.url, post: '/room/lobby/message', get: { method: 'GET', path: '/room/lobby/messages/recent?limit=5' } },
      { name: 'push server', url: pushServer.url, post: PUSH_SUBSCRIBE_PATH, get: { method: 'POST', path: PUSH_UNSUBSCRIBE_PATH, body: JSON.stringify(prober.unsubscribe(PUSH_TARGET)) } },
    ];
    await latencies(probes(), 10); // warm-up: connections, JIT, caches
    const before = await latencies(probes(), 40);
    for (const s of surfaces) {
      const target = rawTarget(s.url);
      await slow.trickleBodies(target, s.post, 150);
      await slow.slowHeaders(target, s.post, 150);
      await slow.nonReaders(target, s.get, 60);
    }
    const held = slow.open;
    // The non-readers' requests are real work: once each service has answered one more request,
    // they are done, and what remains open is only slow.
    await latencies(probes(), 1);
    const during = await latencies(probes(), 40);
    for (const p of probes()) {
      const [w, wo] = [during[p.name]!, before[p.name]!];
      console.info(`${p.name}: with ${held} slow connections open p50 ${w.p50.toFixed(1)} ms, p99 ${w.p99.toFixed(1)} ms; without p50 ${wo.p50.toFixed(1)} ms, p99 ${wo.p99.toFixed(1)} ms (x${ratio(w.p50, wo.p50)} / x${ratio(w.p99, wo.p99)})`);
      // Answered, every one of them, with the status a valid request gets.
      expect(during[p.name]!.statuses).toEqual([200]);
    }
    expect(held).toBeGreaterThanOrEqual(1_500);
  }, 300_000);

  it('are cut off by the services, not left holding their connections', async () => {
    // Bodies below the rate floor go within a window or two, headers at the headers deadline. The
    // readers' answers all fit in loopback's socket buffers (the edge's own cut of a stalled
    // answer is proven in libs/platform edge.spec.ts): they are closed once idle, which a paused
    // socket only notices when it reads again.
    slow.resumeReaders();
    await eventually(() => expect(slow.open).toBe(0), { timeoutMs: 90_000, intervalMs: 500 });
    console.info(`slow clients' endings: ${JSON.stringify(slow.endings)}`);
    expect(slow.endings.failedToConnect ?? 0).toBe(0);
    // Every trickler and slow header sender was told why (408), none was reset.
    expect(slow.endings.answered408).toBe(slow.counts.trickleBodies + slow.counts.slowHeaders);
  }, 120_000);
});

describe('the services', () => {
  it('logged nothing at error level and none of them exited during all of the above', async () => {
    expect(await logs.errorsSinceMark()).toEqual([]);
    expect(devnet!.services.filter((p: ServiceProcess) => !p.running).map((p) => p.name)).toEqual([]);
  });
});
