// Push benchmark: a local network of one swarm (three storage node processes), the registry and
// one push server process; a UnifiedPush endpoint in this process.
//   1. Latency: BENCH_ACCOUNTS accounts (1,000) subscribed; BENCH_STORES stores (one new message
//      each, round-robin over the accounts, BENCH_IN_FLIGHT at a time) through a node's gRPC
//      StorageRpc, as a relay sends them. For each: the store's own latency (request to
//      acknowledgement, which waits for two members to hold the message) and the time from that
//      acknowledgement to the notice at the endpoint (0 when the notice came first: the node that
//      commits notifies at once). p50 and p99 of both, same run. Each message must arrive once.
//   2. Throughput of one push process: BENCH_FANOUT_ACCOUNTS (4) accounts with BENCH_DEVICES (2500)
//      devices each (one endpoint path per device); one message per account, all stored at once,
//      so the push server fans each notice out to every device (a query, the duplicate filter, an
//      encryption and a POST each). Deliveries per second between the 10th and the 90th
//      percentile of the arrivals (the stores' own spread stays out of it), against a raw HTTP POST loop to the
//      same endpoint (undici, as many connections and requests in flight as the push server's
//      UnifiedPush provider and delivery queue use, bodies of a notice's size, run in a worker
//      thread so that it does not share this event loop with the endpoint), measured before and
//      after; the faster raw run is the baseline. Target: at least 50%.
// Prints a table and `ratio: X (target >= 0.50) MET|MISSED`. About one to three minutes.
// Run: `node test/dist/bench/run.js push` after `npx tsc -b services/registry/tsconfig.build.json
// services/swarm-store/tsconfig.build.json services/push/tsconfig.build.json test/tsconfig.build.json`.
// DATABASE_URL: every process in its own schema (dropped after); PGlite otherwise.
// Exits 0 whether or not the target is met; a setup failure exits 1.
import { randomBytes } from 'crypto';
import { Worker } from 'worker_threads';
import { decodePushNotice, decryptPushNotice, identityFromSeed, monitorSigningText, ready, signEd25519, toBase64, toHex, type Identity } from '@starling/crypto';
import { eventually } from '@starling/platform';
import { createGrpcClient, swarmstore, type PromiseClient } from '@starling/proto';
import { startPushEndpoint, type PushEndpoint, type ReceivedPush } from '../support/push-endpoint';
import { intEnv } from './bench-env';
import { runBench, startBenchNetwork, type BenchNetwork } from './bench-network';
import { quantile } from './http-load';
import { CpuWindow, loadAverage } from './proc-cpu';

const TARGET_RATIO = 0.5;
/** The push server's defaults: PUSH_DELIVERY_CONCURRENCY, and the UnifiedPush provider's connections per origin. */
const DELIVERY_IN_FLIGHT = 64;
const CONNECTIONS_PER_ORIGIN = 16;
const MESSAGE_BYTES = 200;

const settings = {
  accounts: intEnv('BENCH_ACCOUNTS', 1000),
  stores: intEnv('BENCH_STORES', 1000),
  inFlight: intEnv('BENCH_IN_FLIGHT', 8),
  fanoutAccounts: intEnv('BENCH_FANOUT_ACCOUNTS', 4),
  devices: intEnv('BENCH_DEVICES', 2500),
  rawPosts: intEnv('BENCH_RAW_POSTS', 10_000),
};

type StoreClient = PromiseClient<typeof swarmstore.SwarmStoreServiceService>;

interface Subscriber {
  identity: Identity;
  account: Buffer;
  encKey: Buffer;
}

function subscriber(): Subscriber {
  const identity = identityFromSeed(randomBytes(32));
  return { identity, account: Buffer.from(identity.sessionId, 'hex'), encKey: randomBytes(32) };
}

function subscribeBody(s: Subscriber, endpoint: string): Record<string, unknown> {
  const sigTs = Math.floor(Date.now() / 1000);
  return {
    pubkey: s.identity.sessionId,
    session_ed25519: toHex(s.identity.ed25519.publicKey),
    namespaces: [0],
    data: true,
    sig_ts: sigTs,
    signature: toBase64(signEd25519(s.identity.ed25519.secretKey, Buffer.from(monitorSigningText(s.account, sigTs, true, [0])))),
    service: 'unifiedpush',
    service_info: { endpoint },
    enc_key: s.encKey.toString('hex'),
  };
}

/** Subscribes in arrays of 100 (one request each), checking every answer. */
async function subscribeAll(pushUrl: string, bodies: Record<string, unknown>[]): Promise<void> {
  for (let i = 0; i < bodies.length; i += 100) {
    const body = JSON.stringify(bodies.slice(i, i + 100));
    // A subscription is idempotent: a request that met a keep-alive connection as the server closed it is sent again.
    const res = await fetch(`${pushUrl}/subscribe`, { method: 'POST', body }).catch((err: Error) => {
      console.error(`subscribe request failed (${String((err as { cause?: unknown }).cause ?? err.message)}); sending it again`);
      return fetch(`${pushUrl}/subscribe`, { method: 'POST', body });
    });
    const answers = (await res.json()) as Array<{ success?: boolean; message?: string }>;
    const refused = answers.find((a) => a.success !== true);
    if (refused) throw new Error(`subscription refused: ${refused.message}`);
  }
}

/** Waits until every storage node holds at least `count` monitor subscriptions. */
async function monitoredEverywhere(network: BenchNetwork, count: number): Promise<void> {
  await eventually(
    async () => {
      for (const node of network.devnet.stores) {
        const text = await (await fetch(new URL('metrics', node.opsUrl))).text();
        const held = Number(/^swarm_store_monitor_subscriptions(?:\{[^}]*\})? (\d+)/m.exec(text)?.[1] ?? 0);
        if (held < count) throw new Error(`${node.name} holds ${held} of ${count} monitor subscriptions`);
      }
    },
    { timeoutMs: 120_000, intervalMs: 250 },
  );
}

/** One new message for `s`; resolves with its hash once a member acknowledged it. */
async function store(client: StoreClient, s: Subscriber): Promise<string> {
  const params = { pubkey: s.identity.sessionId, timestamp: Date.now(), ttl: 3_600_000, data: randomBytes(MESSAGE_BYTES).toString('base64') };
  const reply = await client.storageRpc({ method: 'store', paramsJson: JSON.stringify(params) });
  const body = Buffer.from(reply.body).toString('utf8');
  if (reply.status !== 200) throw new Error(`store refused: ${reply.status} ${body.slice(0, 200)}`);
  return (JSON.parse(body) as { hash: string }).hash;
}

async function inParallel(count: number, width: number, fn: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: width }, async () => {
    while (next < count) await fn(next++);
  }));
}

/** The raw POST loop, in a worker thread: posts per second. */
function rawPostRate(url: string, body: Buffer): Promise<number> {
  const source = `
    const { parentPort, workerData } = require('worker_threads');
    const { Agent, request } = require(workerData.undici);
    const agent = new Agent({ connections: workerData.connections });
    const body = Buffer.from(workerData.body);
    let next = 0;
    const post = async () => {
      const res = await request(workerData.url, { method: 'POST', dispatcher: agent, headers: { 'content-type': 'application/json', ttl: '3600', urgency: 'high' }, body });
      await res.body.dump();
      if (res.statusCode !== 201) throw new Error('endpoint answered ' + res.statusCode);
    };
    (async () => {
      for (let i = 0; i < 200; i++) await post();
      const started = performance.now();
      await Promise.all(Array.from({ length: workerData.inFlight }, async () => { while (next++ < workerData.posts) await post(); }));
      const seconds = (performance.now() - started) / 1000;
      await agent.close();
      parentPort.postMessage(workerData.posts / seconds);
    })().catch((err) => { throw err; });`;
  return new Promise((resolve, reject) => {
    const worker = new Worker(source, {
      eval: true,
      workerData: { url, body, posts: settings.rawPosts, inFlight: DELIVERY_IN_FLIGHT, connections: CONNECTIONS_PER_ORIGIN, undici: require.resolve('undici') },
    });
    worker.once('message', resolve);
    worker.once('error', reject);
  });
}

const ms = (v: number) => `${v.toFixed(1)} ms`;

runBench(15 * 60_000, async () => {
  await ready();
  const endpoint: PushEndpoint = await startPushEndpoint();
  try {
    const network = await startBenchNetwork({ tag: 'push', storeNodes: 3, relays: 0, pushEnv: {}, readyTimeoutMs: 240_000 });
    const push = network.edge.push!;
    const pushProcess = network.devnet.services.find((p) => p.spec.service === 'push')!;
    const clients = network.devnet.stores.map((p) => createGrpcClient(swarmstore.SwarmStoreServiceService, p.grpcAddress!, { deadlineMs: 30_000 }));
    try {
      // ---- 1. latency with BENCH_ACCOUNTS subscribed accounts ----
      const subscribers = Array.from({ length: settings.accounts }, subscriber);
      await subscribeAll(push.url, subscribers.map((s, i) => subscribeBody(s, `${endpoint.origin}/a/${i}`)));
      await monitoredEverywhere(network, settings.accounts);

      const sentAt = new Map<string, number>();
      const ackAt = new Map<string, number>();
      const arrivals = new Map<string, number[]>();
      endpoint.onPush = (p: ReceivedPush) => {
        const match = /^\/a\/(\d+)$/.exec(p.path);
        if (!match) return;
        const s = subscribers[Number(match[1])]!;
        const { enc_payload } = JSON.parse(p.body.toString()) as { enc_payload: string };
        const hash = decodePushNotice(decryptPushNotice(Buffer.from(enc_payload, 'base64'), s.encKey)).metadata.hash;
        arrivals.set(hash, [...(arrivals.get(hash) ?? []), p.atMs]);
      };
      // Warm-up (JIT, connections, the pools), not measured.
      await inParallel(50, settings.inFlight, async (i) => void (await store(clients[i % clients.length]!, subscribers[i % subscribers.length]!)));
      const storeLatency: number[] = [];
      const measured: string[] = [];
      await inParallel(settings.stores, settings.inFlight, async (i) => {
        const started = performance.now();
        const hash = await store(clients[i % clients.length]!, subscribers[(i + 50) % subscribers.length]!);
        const acked = performance.now();
        storeLatency.push(acked - started);
        sentAt.set(hash, started);
        ackAt.set(hash, acked);
        measured.push(hash);
      });
      await eventually(
        () => {
          const missing = measured.filter((h) => !arrivals.has(h)).length;
          if (missing > 0) throw new Error(`${missing} of ${measured.length} notices not delivered`);
        },
        { timeoutMs: 120_000, intervalMs: 100 },
      );
      const noticeLatency = measured.map((h) => Math.max(0, arrivals.get(h)![0]! - ackAt.get(h)!));
      const beforeAck = measured.filter((h) => arrivals.get(h)![0]! < ackAt.get(h)!).length;
      const repeats = measured.filter((h) => arrivals.get(h)!.length > 1).length;
      const sortedStore = Float64Array.from(storeLatency).sort();
      const sortedNotice = Float64Array.from(noticeLatency).sort();
      const sortedEndToEnd = Float64Array.from(measured.map((h) => arrivals.get(h)![0]! - sentAt.get(h)!)).sort();

      // ---- 2. deliveries per second of one push process ----
      const sample = JSON.stringify({ enc_payload: randomBytes(24 + 16 + 512).toString('base64'), spns: 1 });
      const rawBefore = await rawPostRate(`${endpoint.origin}/raw`, Buffer.from(sample));
      const fanout = Array.from({ length: settings.fanoutAccounts }, subscriber);
      const bodies = fanout.flatMap((s, a) => Array.from({ length: settings.devices }, (_, d) => subscribeBody(s, `${endpoint.origin}/f/${a}/${d}`)));
      await subscribeAll(push.url, bodies);
      await monitoredEverywhere(network, settings.accounts + settings.fanoutAccounts);
      const fanned: number[] = [];
      endpoint.onPush = (p) => {
        if (p.path.startsWith('/f/')) fanned.push(p.atMs);
      };
      const expected = settings.fanoutAccounts * settings.devices;
      const cpu = new CpuWindow([pushProcess.pid!]);
      cpu.start();
      await inParallel(fanout.length, fanout.length, async (i) => void (await store(clients[i % clients.length]!, fanout[i]!)));
      await eventually(
        () => {
          if (fanned.length < expected) throw new Error(`${fanned.length} of ${expected} deliveries`);
        },
        { timeoutMs: 300_000, intervalMs: 50 },
      );
      cpu.stop();
      fanned.sort((a, b) => a - b);
      const at = (q: number) => fanned[Math.floor(q * (fanned.length - 1))]!;
      const windowS = (at(0.9) - at(0.1)) / 1000;
      const pushRate = (0.8 * (fanned.length - 1)) / windowS;
      const wholeS = (at(1) - at(0)) / 1000;
      const metricsText = await (await fetch(new URL('metrics', pushProcess.opsUrl))).text();
      const outcomes = [...metricsText.matchAll(/^push_deliveries_total\{([^}]*)\} (\d+)/gm)].map((m) => `${/outcome="([^"]+)"/.exec(m[1]!)?.[1]} ${m[2]}`).join(', ');
      const rawAfter = await rawPostRate(`${endpoint.origin}/raw`, Buffer.from(sample));
      const rawRate = Math.max(rawBefore, rawAfter);
      const ratio = pushRate / rawRate;

      console.log(`backend: ${network.backend}; storage nodes: 3 (one swarm); load average: ${loadAverage()}`);
      console.log(`1. ${settings.accounts} subscribed accounts, ${settings.stores} stores of ${MESSAGE_BYTES} B, ${settings.inFlight} in flight`);
      console.log(`   store (request -> acknowledgement)   p50 ${ms(quantile(sortedStore, 0.5))}   p99 ${ms(quantile(sortedStore, 0.99))}`);
      console.log(`   acknowledgement -> notice at endpoint p50 ${ms(quantile(sortedNotice, 0.5))}   p99 ${ms(quantile(sortedNotice, 0.99))}`);
      console.log(`   store request -> notice at endpoint   p50 ${ms(quantile(sortedEndToEnd, 0.5))}   p99 ${ms(quantile(sortedEndToEnd, 0.99))}`);
      console.log(`   notices before the acknowledgement: ${beforeAck}; delivered more than once: ${repeats}; missing: 0`);
      console.log(`   notice p50 / store p50: ${(quantile(sortedNotice, 0.5) / quantile(sortedStore, 0.5)).toFixed(2)}; notice p99 / store p99: ${(quantile(sortedNotice, 0.99) / quantile(sortedStore, 0.99)).toFixed(2)}`);
      console.log(`2. ${settings.fanoutAccounts} accounts x ${settings.devices} devices: ${expected} deliveries from ${settings.fanoutAccounts} stores`);
      console.log(`   push process        ${pushRate.toFixed(0)} deliveries/s between the 10th and 90th percentile arrivals (all ${expected} in ${wholeS.toFixed(2)} s; ${(expected / cpu.seconds[0]!).toFixed(0)} per push CPU-second)`);
      console.log(`   push delivery outcomes (whole run): ${outcomes}`);
      console.log(`   raw HTTP POST loop  ${rawRate.toFixed(0)} posts/s (before ${rawBefore.toFixed(0)}, after ${rawAfter.toFixed(0)}; ${CONNECTIONS_PER_ORIGIN} connections, ${DELIVERY_IN_FLIGHT} in flight)`);
      console.log(`ratio: ${ratio.toFixed(2)} (target >= ${TARGET_RATIO.toFixed(2)}) ${ratio >= TARGET_RATIO ? 'MET' : 'MISSED'}`);
    } finally {
      for (const c of clients) c.close();
    }
  } finally {
    await endpoint.close();
  }
});
