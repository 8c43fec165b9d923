// Relay throughput benchmark: onion layers peeled and forwarded per relay CPU-second, against the
// raw cost of one layer's crypto (X25519 key agreement + HMAC key + AES-GCM open of ~1 KiB, the
// same @starling/crypto calls a relay makes, so the same X25519 implementation: node:crypto)
// measured on one core in this same run. The ceiling is the fastest of the baseline samples and
// of the same layer with libsodium's WebAssembly X25519, so a slow implementation in the relay
// cannot inflate the ratio. The baseline layer (BENCH_PAYLOAD_BYTES of plaintext) is smaller than
// either layer the relays peel, so the ceiling errs high. Target: relays reach 30% of it.
//
// Set-up: two relay processes R1 -> R2. R2 exits either to a storage node (BENCH_EXIT=store, the
// default: both relays peel a layer and forward it over gRPC, as for every storage request; the
// node answers an `info` RPC) or to a tiny HTTP sink in this process on the relays' proxy
// allow-list (BENCH_EXIT=sink: R2 proxies over HTTP, as to a file or community server).
// Pre-built onion requests (aes-gcm, ~1 KiB payload) are POSTed to R1's /onion_req/v2 over
// keep-alive HTTPS connections (as Session clients reach a guard; BENCH_PLAIN_HTTP=1 for plain
// HTTP) for a fixed time; each answered request is two layers peeled (R1, R2).
// Relay CPU comes from /proc/<pid>/stat. The distinct requests are sent round-robin, so each is
// sent several times: relays keep no replay cache, so a repeat costs what a fresh request does.
//
// Prints a table and `ratio: X (target >= 0.30) MET|MISSED`. About 30-60 s.
// Run: `node test/dist/bench/run.js relay-throughput` after `npx tsc -b
// services/registry/tsconfig.build.json services/swarm-store/tsconfig.build.json
// services/entry-relay/tsconfig.build.json test/tsconfig.build.json`.
// Knobs (env): BENCH_EXIT (store | sink), BENCH_PLAIN_HTTP (0), BENCH_CONNECTIONS (32), BENCH_WARMUP_S (3),
// BENCH_DURATION_S (15), BENCH_DISTINCT (1500 distinct requests), BENCH_PAYLOAD_BYTES (1024),
// BENCH_RELAY_CPU_PROF (a folder: the relays write V8 CPU profiles there). DATABASE_URL: the
// registry and node in their own schemas, dropped after; PGlite otherwise.
// Exits 0 whether or not the target is met; a setup failure exits 1.
import { createHmac, randomBytes } from 'crypto';
import { createServer, type Server } from 'http';
import type { ServiceNode } from '@starling/client';
import {
  buildOnionRequest,
  clientLayerKey,
  decryptLayer,
  decryptOnionResponse,
  encryptLayer,
  fromHex,
  generateOnionKeyPair,
  hopLayerKey,
  parseSnodeOnionReply,
  ready,
  sodium,
  type BuiltOnionRequest,
  type OnionDestination,
  type OnionNodeKeys,
  type X25519KeyPair,
} from '@starling/crypto';
import { eventually, request } from '@starling/platform';
import { cleanupBenchNetwork, runBench, seedEntryOf, startBenchNetwork, type BenchNetwork } from './bench-network';
import { quantile, runLoad, type LoadResult } from './http-load';
import { cpuProfileEnv, CpuWindow, loadAverage } from './proc-cpu';
import { intEnv } from './bench-env';

const TARGET_RATIO = 0.3;
const LAYERS_PER_REQUEST = 2;
const SINK_TARGET = '/oxen/v4/lsrpc';

const settings = {
  connections: intEnv('BENCH_CONNECTIONS', 32),
  warmupMs: intEnv('BENCH_WARMUP_S', 3) * 1000,
  durationMs: intEnv('BENCH_DURATION_S', 15) * 1000,
  distinct: intEnv('BENCH_DISTINCT', 1500),
  payloadBytes: intEnv('BENCH_PAYLOAD_BYTES', 1024),
  exit: exitEnv(),
  tls: intEnv('BENCH_PLAIN_HTTP', 0) === 0,
  relayCpuProfDir: process.env.BENCH_RELAY_CPU_PROF,
};

interface LayerRate {
  /** Layers per second of wall time on one core. */
  perSecond: number;
  /** Layers per second of this process's CPU time: steadier when the machine is shared. */
  perCpuSecond: number;
}

interface Results {
  network: BenchNetwork;
  exit: Exit;
  load: LoadResult;
  buildSeconds: number;
  relayCpu: number[];
  selfCpu: number;
  baselineBefore: LayerRate;
  baselineAfter: LayerRate;
  sodiumX25519: LayerRate;
}

runBench(170_000, async () => {
  await ready();
  const baselineBefore = measureLayerRate(2000);
  const sink = settings.exit === 'sink' ? await startSink() : undefined;
  try {
    const relayEnv: Record<string, string> = {
      // One load generator is one address: admission must not be what is measured.
      ENTRY_RELAY_BUCKET_CAPACITY: '1000000000',
      ENTRY_RELAY_BUCKET_REFILL: '1000000000',
      ...(settings.tls ? {} : { ENTRY_RELAY_PLAIN_HTTP: 'true' }),
      ...(sink ? { ENTRY_RELAY_PROXY_ALLOW: `127.0.0.1:${sink.port}` } : {}),
      LOG_LEVEL: 'warn',
      ...(settings.relayCpuProfDir ? cpuProfileEnv(settings.relayCpuProfDir) : {}),
    };
    const network = await startBenchNetwork({
      tag: 'relay-throughput',
      storeNodes: sink ? 0 : 1,
      relays: 2,
      relayEnv,
      storeEnv: { LOG_LEVEL: 'warn' },
      readyTimeoutMs: 90_000,
    });
    const [r1, r2] = network.relays;
    const path = [seedEntryOf(network, r1), seedEntryOf(network, r2)].map(nodeKeys);
    const exit = sink ? sinkExit(sink) : storeExit(network.nodes.find((n) => n.role === 'store')!);

    const built = performance.now();
    const pool = Array.from({ length: settings.distinct }, () => buildOnionRequest({ path, destination: exit.destination, payload: exit.payload(), encType: 'aes-gcm' }));
    const buildSeconds = (performance.now() - built) / 1000;

    // R1 must know R2 (and R2 the node) from its own copy of the network map before the run.
    await eventually(
      async () => {
        const res = await request(`${settings.tls ? 'https' : 'http'}://127.0.0.1:${r1.spec.httpPort}/onion_req/v2`, { method: 'POST', body: pool[0].body });
        if (res.status !== 200) throw new Error(`probe answered ${res.status}: ${res.body.toString('utf8', 0, 200)}`);
        exit.check(pool[0], res.body);
      },
      { timeoutMs: 30_000, intervalMs: 250 },
    );

    const requests = httpRequests(pool.map((r) => r.body), r1.spec.httpPort);
    const cpu = new CpuWindow([r1.pid!, r2.pid!]);
    const load = await runLoad({
      host: '127.0.0.1',
      port: r1.spec.httpPort,
      tls: settings.tls,
      connections: settings.connections,
      requests,
      warmupMs: settings.warmupMs,
      durationMs: settings.durationMs,
      onWindow: cpu.onWindow,
    });
    for (const relay of network.relays) if (!relay.running) throw new Error(`${relay.name} stopped during the run:\n${await relay.logTail()}`);
    const baselineAfter = measureLayerRate(1000);
    const sodiumX25519 = measureSodiumLayerRate(1000);
    report({ network, exit, load, buildSeconds, relayCpu: cpu.seconds, selfCpu: cpu.selfSeconds, baselineBefore, baselineAfter, sodiumX25519 });
    await cleanupBenchNetwork(); // profiles are written as the relays exit
  } finally {
    await sink?.close();
  }
});

// ---------- the baseline: one layer's crypto on one core ----------

/** Layers encrypted to one hop key, as a relay receives them: ~payload-sized ciphertexts. */
function sampleLayers(count: number): { hop: X25519KeyPair; layers: Array<{ ephemeral: Uint8Array; ciphertext: Uint8Array }> } {
  const hop = generateOnionKeyPair();
  const layers = Array.from({ length: count }, () => {
    const ephemeral = generateOnionKeyPair();
    const key = clientLayerKey('aes-gcm', ephemeral, hop.publicKey);
    return { ephemeral: ephemeral.publicKey, ciphertext: encryptLayer(key, randomBytes(settings.payloadBytes)) };
  });
  return { hop, layers };
}

/** hopLayerKey + decryptLayer, exactly as a relay peels a layer. */
function measureLayerRate(ms: number): LayerRate {
  const { hop, layers } = sampleLayers(64);
  return timed(ms, (i) => {
    const layer = layers[i % layers.length];
    decryptLayer(hopLayerKey('aes-gcm', hop, layer.ephemeral), layer.ciphertext);
  });
}

/**
 * The same layer with X25519 from libsodium's WebAssembly build (what @starling/crypto used
 * before node:crypto): part of the ceiling in case it is the faster one on this machine.
 */
function measureSodiumLayerRate(ms: number): LayerRate {
  const { hop, layers } = sampleLayers(64);
  return timed(ms, (i) => {
    const layer = layers[i % layers.length];
    const key = createHmac('sha256', 'LOKI').update(sodium().crypto_scalarmult(hop.secretKey, layer.ephemeral)).digest();
    decryptLayer({ encType: 'aes-gcm', key }, layer.ciphertext);
  });
}

function timed(ms: number, op: (i: number) => void): LayerRate {
  for (let i = 0; i < 200; i++) op(i); // JIT warm-up
  let count = 0;
  const cpuStart = process.cpuUsage();
  const start = performance.now();
  let elapsed = 0;
  while (elapsed < ms) {
    for (let i = 0; i < 100; i++) op(count + i);
    count += 100;
    elapsed = performance.now() - start;
  }
  const cpu = process.cpuUsage(cpuStart);
  return { perSecond: count / (elapsed / 1000), perCpuSecond: count / ((cpu.user + cpu.system) / 1e6) };
}

// ---------- requests and where R2 sends them ----------

interface Exit {
  describe: string;
  destination: OnionDestination;
  payload(): Uint8Array;
  /** Throws unless `reply` is the destination's answer to `request`. */
  check(request: BuiltOnionRequest, reply: Uint8Array): void;
  /** A line for the report, checking that the destination saw the traffic. */
  served(answered: number): string | undefined;
}

function nodeKeys(node: ServiceNode): OnionNodeKeys {
  return { x25519: fromHex(node.x25519, 32), ed25519: fromHex(node.ed25519, 32) };
}

/** The storage node answers `info` (the cheapest RPC); the padding makes the payload ~1 KiB. */
function storeExit(node: ServiceNode): Exit {
  return {
    describe: 'R1 -> R2 -> storage node (info RPC)',
    destination: { kind: 'snode', ...nodeKeys(node) },
    payload: () => Buffer.from(JSON.stringify({ method: 'info', params: { pad: randomBytes(Math.ceil((settings.payloadBytes * 3) / 4)).toString('base64') } })),
    check: (request, reply) => {
      const answer = parseSnodeOnionReply(decryptOnionResponse(request.responseKey, reply, 'base64'));
      if (answer.status !== 200) throw new Error(`the node answered ${answer.status}`);
    },
    served: () => undefined,
  };
}

function sinkExit(sink: Sink): Exit {
  return {
    describe: 'R1 -> R2 -> HTTP sink (proxied POST)',
    destination: { kind: 'server', host: '127.0.0.1', port: sink.port, protocol: 'http', target: SINK_TARGET, x25519: generateOnionKeyPair().publicKey },
    payload: () => randomBytes(settings.payloadBytes),
    check: (_request, reply) => {
      if (!Buffer.from(reply).equals(sink.reply)) throw new Error('the reply is not the sink\'s');
    },
    served: (answered) => `${sink.hits} requests (at least every answered one: ${sink.hits >= answered ? 'yes' : 'NO'})`,
  };
}

/** Complete HTTP requests for R1, the distinct bodies round-robin, more than a fast run needs. */
function httpRequests(bodies: Uint8Array[], guardPort: number): Buffer[] {
  const distinct = bodies.map((body) => {
    const head =
      `POST /onion_req/v2 HTTP/1.1\r\nHost: 127.0.0.1:${guardPort}\r\n` +
      `Content-Type: application/octet-stream\r\nContent-Length: ${body.length}\r\n\r\n`;
    return Buffer.concat([Buffer.from(head, 'latin1'), body]);
  });
  const slots = Math.ceil(((settings.warmupMs + settings.durationMs) / 1000) * 20_000);
  return Array.from({ length: slots }, (_, i) => distinct[i % distinct.length]);
}

interface Sink {
  port: number;
  hits: number;
  reply: Buffer;
  close(): Promise<void>;
}

/** Stands in for a file server: reads the proxied body and answers 32 bytes. */
async function startSink(): Promise<Sink> {
  const sink: Sink = { port: 0, hits: 0, reply: randomBytes(32), close: async () => undefined };
  const server: Server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      if (req.method === 'POST' && req.url === SINK_TARGET) sink.hits++;
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': sink.reply.length });
      res.end(sink.reply);
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  sink.port = (server.address() as { port: number }).port;
  sink.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return sink;
}

// ---------- output ----------

function report(r: Results): void {
  const { load } = r;
  const seconds = load.windowMs / 1000;
  const relayCpu = r.relayCpu.reduce((a, b) => a + b, 0);
  const layers = load.measured * LAYERS_PER_REQUEST;
  const layersPerRelayCpuSecond = layers / relayCpu;
  // The fastest baseline sample: the stricter target when the machine is busy, and never a slower
  // X25519 than the fastest one measured.
  const baselines = [r.baselineBefore, r.baselineAfter, r.sodiumX25519];
  const ceiling = Math.max(...baselines.map((b) => b.perCpuSecond));
  const ceilingWall = Math.max(...baselines.map((b) => b.perSecond));
  const ratio = layersPerRelayCpuSecond / ceiling;
  const failures = [...load.statuses].filter(([status]) => status !== 200);
  const errorCount = failures.reduce((sum, [, n]) => sum + n, 0) + load.errors.length;
  const ms = (v: number) => `${v.toFixed(2)} ms`;
  const served = r.exit.served(load.statuses.get(200) ?? 0);
  const rows: Array<[string, string]> = [
    ['machine load average', `${loadAverage()} (at the end)`],
    ['path', `${settings.tls ? 'HTTPS' : 'plain HTTP'} to R1; ${r.exit.describe}; ${r.network.backend}`],
    ['connections in flight', String(settings.connections)],
    ['requests pre-built', `${settings.distinct} distinct in ${r.buildSeconds.toFixed(1)} s, payload ${settings.payloadBytes} B`],
    ['measured requests', `${load.measured} in ${seconds.toFixed(2)} s (+${load.warmup} warm-up)${load.exhausted ? ' (pool used up)' : ''}`],
    ['requests/s (wall)', (load.measured / seconds).toFixed(0)],
    ['layers/s (wall)', (layers / seconds).toFixed(0)],
    ['latency p50 / p99', `${ms(quantile(load.latenciesMs, 0.5))} / ${ms(quantile(load.latenciesMs, 0.99))}`],
    ['relay CPU (R1, R2)', `${r.relayCpu.map((s) => (s / seconds).toFixed(2)).join(', ')} cores (${relayCpu.toFixed(1)} CPU-s)`],
    [settings.exit === 'sink' ? 'load generator + sink CPU' : 'load generator CPU', `${(r.selfCpu / seconds).toFixed(2)} cores`],
    ['layers per relay CPU-second', layersPerRelayCpuSecond.toFixed(0)],
    ['per relay CPU-second, R1 / R2', r.relayCpu.map((s) => (load.measured / s).toFixed(0)).join(' / ')],
    ['baseline layer crypto, 1 core', `${ceiling.toFixed(0)} per CPU-s, ${ceilingWall.toFixed(0)}/s wall (the fastest of the three below)`],
    ['  @starling/crypto (node:crypto)', `before ${r.baselineBefore.perCpuSecond.toFixed(0)}, after ${r.baselineAfter.perCpuSecond.toFixed(0)} per CPU-s`],
    ['  libsodium WebAssembly X25519', `${r.sodiumX25519.perCpuSecond.toFixed(0)} per CPU-s`],
    ...(served ? [['sink', served] as [string, string]] : []),
    ['errors', String(errorCount)],
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  for (const [k, v] of rows) console.log(`${k.padEnd(width)}  ${v}`);
  for (const [status, n] of failures) console.log(`  HTTP ${status} x${n}: ${load.sampleBodies.get(status) ?? ''}`);
  for (const message of new Set(load.errors)) console.log(`  ${message}`);
  const verdict = ratio >= TARGET_RATIO && errorCount === 0 ? 'MET' : 'MISSED';
  console.log(`ratio: ${ratio.toFixed(2)} (target >= ${TARGET_RATIO.toFixed(2)}) ${verdict}${errorCount ? ' (errors)' : ''}`);
}

function exitEnv(): 'store' | 'sink' {
  const exit = process.env.BENCH_EXIT || 'store';
  if (exit !== 'store' && exit !== 'sink') throw new Error(`BENCH_EXIT must be store or sink, got "${exit}"`);
  return exit;
}
