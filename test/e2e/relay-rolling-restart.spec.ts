// Graceful drain, proven on the local network: a rolling restart of a relay group under load
// refuses no request. The group is two relay processes holding ONE identity (ENTRY_RELAY_KEY, as
// the chart's pods of a relay group share one key Secret), published at the address of a load
// balancer that, like a Kubernetes Service, sends new connections only to relays whose /readyz
// answered 200 at its last probes (support/ready-balancer.ts). Clients send onion requests through
// the balancer as their guard, on to a storage node (an `info` request), without retries. Each
// relay in turn gets SIGTERM, exits, starts again; the next one goes once the balancer sees the
// first one ready, as a Deployment's rolling update does with maxUnavailable 0.
//
// On SIGTERM a relay fails readiness at once and keeps serving for ENTRY_RELAY_DRAIN_DELAY, its
// answers closing their connections so that clients reconnect through the balancer; then it stops
// listening and lets work in progress finish. With a delay longer than the balancer takes to notice,
// no request fails; with no delay the balancer still sends new connections to a relay that has
// stopped listening, and requests fail: the second case shows that the first can fail.
import { randomBytes } from 'crypto';
import { mkdtempSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import {
  buildOnionRequest,
  decryptOnionResponse,
  fromHex,
  identityFromSeed,
  parseSnodeOnionReply,
  ready,
  type OnionNodeKeys,
} from '@starling/crypto';
import { eventually, uniqueName } from '@starling/platform';
import { freePort, ServiceProcess, startDevnet, type Devnet } from '../src/devnet';
import { OnionLoad, type LoadRequest, type LoadTally } from './support/onion-load';
import { ReadyBalancer } from './support/ready-balancer';

/** The balancer probes every 200 ms and drops a relay after 3 failed probes in a row (Kubernetes' default threshold). */
const PROBE = { periodMs: 200, failureThreshold: 3, timeoutMs: 1_000 };
/** Longer than the balancer takes to notice: threshold x period, plus the probes' own time. */
const DRAIN_DELAY_MS = 1_500;
const CLIENTS = 6;
/** Answered requests to see before, between and after the restarts, so that each step happens under load. */
const UNDER_LOAD = 15;

const schemaPrefix = uniqueName('rolling');
let devnet: Devnet;
let storeNode: OnionNodeKeys;

beforeAll(async () => {
  await ready();
  devnet = await startDevnet({
    dataDir: mkdtempSync(join(tmpdir(), 'starling-rolling-restart-')),
    storeNodes: 1,
    swarmMinSize: 1,
    fastTimings: true,
    databaseUrl: process.env.DATABASE_URL,
    schemaPrefix,
  });
  const node = (await devnet.networkMap()).nodes.find((n) => n.pubkeyEd25519 === devnet.stores[0]!.info.pubkey)!;
  storeNode = { ed25519: fromHex(node.pubkeyEd25519, 32), x25519: fromHex(node.pubkeyX25519, 32) };
}, 300_000);

afterAll(() => devnet?.discard(), 60_000);

interface RelayGroup {
  relays: ServiceProcess[];
  balancer: ReadyBalancer;
  keys: OnionNodeKeys;
  stop(): Promise<void>;
}

/** Two relay processes with one identity behind a balancer, both ready and in the balancer's rotation. */
async function startRelayGroup(name: string, drainDelayMs: number): Promise<RelayGroup> {
  const seed = randomBytes(32);
  const identity = identityFromSeed(seed);
  const members = await Promise.all(
    ['a', 'b'].map(async (member) => ({ name: `${name}-${member}`, httpPort: await freePort(), grpcPort: await freePort(), opsPort: await freePort() })),
  );
  const balancer = new ReadyBalancer(
    members.map((m) => ({ name: m.name, port: m.httpPort, readyUrl: `http://127.0.0.1:${m.opsPort}/readyz` })),
    PROBE,
  );
  const publicPort = await balancer.listen();
  const relays = members.map(
    (m) =>
      new ServiceProcess(
        {
          name: m.name,
          service: 'entry-relay',
          role: 'onion relay (group member)',
          httpPort: m.httpPort,
          grpcPort: m.grpcPort,
          opsPort: m.opsPort,
          tls: true,
          env: {
            ENTRY_RELAY_HOST: '127.0.0.1',
            ENTRY_RELAY_HTTP_PORT: String(m.httpPort),
            ENTRY_RELAY_GRPC_PORT: String(m.grpcPort),
            ENTRY_RELAY_OPS_PORT: String(m.opsPort),
            ENTRY_RELAY_DATA_DIR: join(devnet.dataDir, m.name),
            ENTRY_RELAY_KEY: seed.toString('hex'),
            // The group is published at the balancer's address, as a relay group's LoadBalancer Service.
            ENTRY_RELAY_PUBLIC_HOST: '127.0.0.1',
            ENTRY_RELAY_PUBLIC_PORT: String(publicPort),
            ENTRY_RELAY_DRAIN_DELAY: `${drainDelayMs}ms`,
            // Every client reaches the relays from the balancer's address: one rate-limit bucket for all.
            ENTRY_RELAY_BUCKET_CAPACITY: '100000',
            ENTRY_RELAY_BUCKET_REFILL: '100000',
            REGISTRY_GRPC_ADDRESS: devnet.registries[0]!.grpcAddress!,
            REGISTRY_PUBKEY: devnet.registryPubkey,
          },
        },
        join(devnet.dataDir, 'logs', `${m.name}.log`),
      ),
  );
  const stop = async () => {
    await Promise.all(relays.map((r) => r.stop()));
    await balancer.close();
  };
  try {
    await Promise.all(relays.map((r) => r.start()));
    await Promise.all(relays.map((r) => r.waitReady(120_000)));
    await inRotation(balancer, relays);
  } catch (err) {
    await stop();
    throw err;
  }
  return { relays, balancer, keys: { ed25519: identity.ed25519.publicKey, x25519: identity.x25519.publicKey }, stop };
}

function inRotation(balancer: ReadyBalancer, relays: ServiceProcess[]): Promise<void> {
  return eventually(() => expect(relays.filter((r) => !balancer.isReady(r.name)).map((r) => r.name)).toEqual([]), { timeoutMs: 30_000, intervalMs: 50 });
}

/** An `info` request to the storage node with the relay group as guard (and only hop). */
function infoThrough(guard: OnionNodeKeys): LoadRequest {
  const built = buildOnionRequest({
    path: [guard],
    destination: { kind: 'snode', ...storeNode },
    payload: Buffer.from(JSON.stringify({ method: 'info', params: {} })),
    encType: 'aes-gcm',
  });
  return { body: built.body, open: (reply) => parseSnodeOnionReply(decryptOnionResponse(built.responseKey, reply, 'base64')).status === 200 };
}

async function underLoad(load: OnionLoad): Promise<void> {
  const from = load.answered;
  await eventually(() => expect(load.answered - from).toBeGreaterThanOrEqual(UNDER_LOAD), { timeoutMs: 60_000, intervalMs: 50 });
}

/** Restarts each relay of a fresh group in turn under load; what the clients saw. */
async function rollingRestart(name: string, drainDelayMs: number): Promise<{ tally: LoadTally; exitCodes: (number | null)[]; group: RelayGroup }> {
  const group = await startRelayGroup(name, drainDelayMs);
  const load = new OnionLoad({ host: '127.0.0.1', port: group.balancer.port }, () => infoThrough(group.keys), CLIENTS);
  const exitCodes: (number | null)[] = [];
  try {
    load.start();
    await underLoad(load);
    for (const relay of group.relays) {
      exitCodes.push((await relay.stop()).code);
      await underLoad(load); // the other member carries the load alone
      await relay.start();
      await relay.waitReady(120_000);
      await inRotation(group.balancer, [relay]);
      await underLoad(load);
    }
    return { tally: await load.stop(), exitCodes, group };
  } finally {
    await load.stop();
    await group.stop();
  }
}

const summary = (tally: LoadTally) => ({ failed: tally.failed, reasons: Object.fromEntries(tally.reasons) });

it('refuses no request while each relay of a group is restarted in turn under load', async () => {
  const { tally, exitCodes, group } = await rollingRestart('drained', DRAIN_DELAY_MS);
  console.info(`with a ${DRAIN_DELAY_MS} ms drain delay: ${tally.ok} answered, ${tally.failed} failed; connections per relay ${JSON.stringify(Object.fromEntries(group.balancer.connections))}`);
  expect(exitCodes).toEqual([0, 0]);
  // Both members carried requests, before and after their restart.
  expect(group.relays.map((r) => group.balancer.connections.get(r.name) ?? 0).every((n) => n > 1)).toBe(true);
  expect(summary(tally)).toEqual({ failed: 0, reasons: {} });
}, 300_000);

it('without a drain delay the same restart refuses requests (so the test above can fail)', async () => {
  const { tally, exitCodes } = await rollingRestart('undrained', 0);
  console.info(`without a drain delay: ${tally.ok} answered, ${tally.failed} failed: ${JSON.stringify(summary(tally).reasons)}`);
  expect(exitCodes).toEqual([0, 0]);
  expect(tally.failed).toBeGreaterThan(0);
}, 300_000);
