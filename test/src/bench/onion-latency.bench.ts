// Onion latency benchmark: a store followed by a retrieve, sent by a Session client through a
// 3-relay onion path to one storage node, against the same two RPCs sent directly to that node's
// /storage_rpc/v1, in the same run, both over HTTPS. Target: onion p50 at most 3 times the direct
// p50.
//
// Set-up: a devnet on loopback with 3 storage nodes (one swarm) and 4 relays (the client builds
// two paths of three). One request in flight at a time; onion and direct exchanges alternate
// (which goes first alternates too), so that machine noise hits both alike. Each exchange stores
// a fresh ~1 KiB message to the account's namespace 0 and retrieves from the previous exchange's
// hash, so every retrieve must return exactly the message just stored (checked).
//
// Prints a table and `ratio: X (target <= 3.0) MET|MISSED`. About 60-120 s, most of it start-up.
// Run: `node test/dist/bench/run.js onion-latency` after `npx tsc -b
// services/registry/tsconfig.build.json services/swarm-store/tsconfig.build.json
// services/entry-relay/tsconfig.build.json test/tsconfig.build.json`.
// Knobs (env): BENCH_ROUNDS (200 exchanges each way), BENCH_WARMUP (20), BENCH_PAYLOAD_BYTES
// (1024). DATABASE_URL: one schema per process, dropped after; PGlite otherwise.
// Exits 0 whether or not the target is met; a setup failure exits 1.
import { randomBytes } from 'crypto';
import { Agent, request } from 'https';
import { nodeUrl, OwnSwarmRequests, StarlingNetwork, storeToInbox, type ServiceNode } from '@starling/client';
import { generateIdentity, ready } from '@starling/crypto';
import { eventually } from '@starling/platform';
import { runBench, startBenchNetwork, type BenchNetwork } from './bench-network';
import { loadAverage } from './proc-cpu';
import { intEnv } from './bench-env';

const TARGET_RATIO = 3;
const TTL_MS = 60 * 60 * 1000;

const settings = {
  rounds: intEnv('BENCH_ROUNDS', 200),
  warmup: intEnv('BENCH_WARMUP', 20),
  payloadBytes: intEnv('BENCH_PAYLOAD_BYTES', 1024),
};

type Route = 'onion' | 'direct';
type Params = () => Record<string, unknown>;

interface Reply {
  status: number;
  body: unknown;
}

/** Milliseconds of each part of one exchange. */
interface Exchange {
  store: number;
  retrieve: number;
}

runBench(175_000, async () => {
  await ready();
  const network = await startBenchNetwork({
    tag: 'onion-latency',
    storeNodes: 3,
    relays: 4,
    relayEnv: { LOG_LEVEL: 'warn' },
    // The direct baseline must not meet the per-address limit (300/s) between onion requests.
    storeEnv: { LOG_LEVEL: 'warn', SWARM_STORE_BUCKET_CAPACITY: '1000000', SWARM_STORE_BUCKET_REFILL: '1000000' },
    readyTimeoutMs: 120_000,
  });
  const { identity } = generateIdentity();
  const account = identity.sessionId;
  const client = await StarlingNetwork.connect({ seedUrl: network.devnet.seedUrl, sessionId: account });
  const members = await eventually(() => client.swarm.swarmOf(account), { timeoutMs: 30_000, intervalMs: 500 });
  const node = members[0];
  const own = new OwnSwarmRequests(identity);
  const direct = new DirectRpc(node);

  const send = (route: Route, method: string, params: Params): Promise<Reply> =>
    route === 'onion' ? client.swarm.request(account, method, params, node) : direct.call(method, params(), client);

  let lastHash: string | undefined;
  /** Stores a fresh message and reads it back from the previous exchange's hash. */
  const exchange = async (route: Route): Promise<Exchange> => {
    const data = randomBytes(settings.payloadBytes);
    const after = lastHash;
    const started = performance.now();
    const stored = await send(route, 'store', () => storeToInbox(account, 0, client.clock.now(), TTL_MS, data));
    const storedAt = performance.now();
    const hash = (stored.body as { hash?: unknown }).hash;
    if (stored.status !== 200 || typeof hash !== 'string') throw new Error(`${route} store answered ${stored.status}: ${describe(stored.body)}`);
    const retrieved = await send(route, 'retrieve', () => ({ pubkey: account, ...own.retrieve(0, client.clock.now(), after, -1) }));
    const done = performance.now();
    const messages = (retrieved.body as { messages?: Array<{ hash: string }> }).messages;
    if (retrieved.status !== 200 || !messages) throw new Error(`${route} retrieve answered ${retrieved.status}: ${describe(retrieved.body)}`);
    if (messages.at(-1)?.hash !== hash || (after !== undefined && messages.length !== 1)) {
      throw new Error(`${route} retrieve after ${after} returned ${messages.length} messages, not just ${hash}`);
    }
    lastHash = hash;
    return { store: storedAt - started, retrieve: done - storedAt };
  };

  try {
    for (let i = 0; i < settings.warmup; i++) for (const route of order(i)) await exchange(route);
    const samples: Record<Route, Exchange[]> = { onion: [], direct: [] };
    const started = performance.now();
    for (let i = 0; i < settings.rounds; i++) for (const route of order(i)) samples[route].push(await exchange(route));
    report(network, samples, (performance.now() - started) / 1000, client);
  } finally {
    direct.close();
  }
});

/** Who goes first alternates, so that neither route always follows the other. */
function order(round: number): Route[] {
  return round % 2 === 0 ? ['onion', 'direct'] : ['direct', 'onion'];
}

/** The baseline: JSON-RPC POSTs to the node's /storage_rpc/v1 over one keep-alive HTTPS connection. */
class DirectRpc {
  // Listed nodes' certificates are self-signed, as Session clients expect: they are not checked.
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 1, rejectUnauthorized: false });
  private readonly url: URL;

  constructor(node: ServiceNode) {
    this.url = new URL(nodeUrl(node, '/storage_rpc/v1'));
  }

  call(method: string, params: Record<string, unknown>, client: StarlingNetwork): Promise<Reply> {
    const body = Buffer.from(JSON.stringify({ method, params }), 'utf8');
    return new Promise((resolve, reject) => {
      const req = request(
        this.url,
        { method: 'POST', agent: this.agent, headers: { 'content-type': 'application/json', 'content-length': body.length } },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            let parsed: unknown = text;
            try {
              parsed = JSON.parse(text);
            } catch {
              // an error text: kept as it is
            }
            // As the onion client does: replies keep the network clock.
            client.clock.observe((parsed as { t?: unknown } | null)?.t);
            resolve({ status: res.statusCode ?? 0, body: parsed });
          });
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}

// ---------- output ----------

function quantiles(values: number[]): { p50: number; p90: number; p99: number } {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
  return { p50: at(0.5), p90: at(0.9), p99: at(0.99) };
}

function report(network: BenchNetwork, samples: Record<Route, Exchange[]>, seconds: number, client: StarlingNetwork): void {
  const parts: Array<[string, (e: Exchange) => number]> = [
    ['store', (e) => e.store],
    ['retrieve', (e) => e.retrieve],
    ['store+retrieve', (e) => e.store + e.retrieve],
  ];
  const ms = (v: number) => v.toFixed(2).padStart(8);
  console.log(`machine load average ${loadAverage()}; ${network.devnet.stores.length} storage nodes, ${network.relays.length} relays, ${network.backend}`);
  const hops = client.paths.current.map((p) => p.nodes.length);
  console.log(`${settings.rounds} exchanges each way after ${settings.warmup} warm-up, ${settings.payloadBytes} B messages, one request in flight, ${seconds.toFixed(1)} s; onion paths of ${hops.join(' and ')} relays`);
  console.log(`${'request'.padEnd(24)}${'p50 ms'.padStart(8)}${'p90 ms'.padStart(9)}${'p99 ms'.padStart(9)}`);
  const ratios: Record<string, number> = {};
  for (const [name, pick] of parts) {
    const q = { onion: quantiles(samples.onion.map(pick)), direct: quantiles(samples.direct.map(pick)) };
    for (const route of ['direct', 'onion'] as const) {
      console.log(`${`${name} ${route}`.padEnd(24)}${ms(q[route].p50)} ${ms(q[route].p90)} ${ms(q[route].p99)}`);
    }
    ratios[name] = q.onion.p50 / q.direct.p50;
  }
  console.log(`p50 ratios onion/direct: store ${ratios.store.toFixed(2)}, retrieve ${ratios.retrieve.toFixed(2)}`);
  const ratio = ratios['store+retrieve'];
  console.log(`ratio: ${ratio.toFixed(2)} (target <= ${TARGET_RATIO.toFixed(2)}) ${ratio <= TARGET_RATIO ? 'MET' : 'MISSED'}`);
}

function describe(body: unknown): string {
  return (typeof body === 'string' ? body : JSON.stringify(body)).slice(0, 200);
}
