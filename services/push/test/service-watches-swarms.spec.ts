// The push service as it runs (startPush: edge, ops port, database, shared state, the registry's
// map), against gRPC storage nodes that speak the Monitor contract: a subscription through an
// onion v4 request is answered as upstream and watched at every member of the account's swarm;
// the same message reported by every member reaches the endpoint once; a node that restarts gets
// its subscriptions again; the monitors follow swarm changes; after /unsubscribe nothing arrives.
import { randomBytes } from 'crypto';
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import {
  buildOnionRequest,
  decodeV4Response,
  decryptOnionResponse,
  encodeV4Request,
  fromHex,
  generateOnionKeyPair,
  parseOnionEnvelope,
  peelOnionLayer,
  ready,
  swarmSpacePosition,
} from '@starling/crypto';
import { createLogger, eventually, openDatabase, uniqueName } from '@starling/platform';
import type { swarmstore } from '@starling/proto';
import { pushConfigFromEnv } from '../src/config';
import { startPush, type RunningPush } from '../src/push';
import { openDelivered } from './support/notice';
import { sessionSubscriber, subscribeBody, unsubscribeBody, type TestSubscriber } from './support/subscriber';
import { TestRegistry, TestStorageNode } from './support/test-network';
import { startUnifiedPushEndpoint, type UnifiedPushEndpoint } from './support/unifiedpush-endpoint';

beforeAll(ready);

// Two swarms far apart in swarm space; an account goes to the closer one.
const LOW = 0x1000_0000_0000_0000n;
const HIGH = 0xc000_0000_0000_0000n;
const inLowSwarm = (s: TestSubscriber) => swarmSpacePosition(s.account) < 0x6800_0000_0000_0000n;

function subscriberIn(low: boolean): TestSubscriber {
  for (;;) {
    const s = sessionSubscriber();
    if (inLowSwarm(s) === low) return s;
  }
}

/** An onion v4 request to the push server, as the exit node forwards it; the decrypted answer. */
async function throughOnion(push: RunningPush, endpoint: string, body: unknown): Promise<{ code: number; json: any }> {
  const exit = generateOnionKeyPair();
  const built = buildOnionRequest({
    path: [{ x25519: exit.publicKey, ed25519: new Uint8Array(32) }],
    destination: { kind: 'server', host: '127.0.0.1', port: push.port, protocol: 'http', target: '/oxen/v4/lsrpc', x25519: fromHex(push.pubkeyX25519, 32) },
    payload: encodeV4Request({ meta: { method: 'POST', endpoint, headers: { 'content-type': 'application/json' } }, body: Buffer.from(JSON.stringify(body)) }),
    encType: 'xchacha20',
  });
  const { instruction } = peelOnionLayer(exit, parseOnionEnvelope(built.body).layer);
  if (instruction.kind !== 'proxy') throw new Error('expected a proxy instruction');
  const res = await fetch(`${push.url}/oxen/v4/lsrpc`, { method: 'POST', body: instruction.body });
  expect(res.status).toBe(200);
  const answer = decodeV4Response(decryptOnionResponse(built.responseKey, new Uint8Array(await res.arrayBuffer()), 'binary'));
  return { code: answer.code, json: JSON.parse(Buffer.from(answer.body).toString()) };
}

function notice(s: TestSubscriber, hash = randomBytes(32).toString('base64').slice(0, 43)): swarmstore.MonitorNotice {
  const now = Date.now();
  return { pubkey: s.account, hash, namespace: 0, timestampMs: String(now), expiryMs: String(now + 3_600_000), data: Buffer.from(`message ${hash}`) };
}

describe('the push service watching swarms', () => {
  let registry: TestRegistry;
  let a: TestStorageNode, b: TestStorageNode, c: TestStorageNode, d: TestStorageNode, e: TestStorageNode;
  let endpoint: UnifiedPushEndpoint;
  let push: RunningPush;
  let dataDir: string;
  const schema = process.env.DATABASE_URL ? uniqueName('push_service') : undefined;
  const delivered = () => endpoint.received.map((r) => openDelivered(JSON.parse(r.body.toString()), bobKey()).metadata.hash);
  let bob: TestSubscriber;
  const bobKey = () => bob.encKey;

  beforeAll(async () => {
    registry = await new TestRegistry().start();
    [a, b, c, d, e] = await Promise.all([0, 1, 2, 3, 4].map(() => new TestStorageNode().start()));
    endpoint = await startUnifiedPushEndpoint();
    dataDir = mkdtempSync(path.join(tmpdir(), 'push-service-'));
    push = await startPush(
      pushConfigFromEnv({
        PUSH_PORT: '0',
        PUSH_OPS_PORT: '0',
        PUSH_DATA_DIR: dataDir,
        PUSH_UNIFIEDPUSH_ALLOW_PRIVATE: 'true',
        REGISTRY_GRPC_ADDRESS: registry.address,
        REGISTRY_PUBKEY: registry.pubkey,
        ...(schema ? { DATABASE_URL: process.env.DATABASE_URL, PUSH_DB_SCHEMA: schema } : {}),
        ...(process.env.REDIS_URL ? { REDIS_URL: process.env.REDIS_URL } : {}),
      }),
      createLogger('push', { level: 'silent' }),
    );
    bob = subscriberIn(true);
  });

  afterAll(async () => {
    await push.close();
    await endpoint.close();
    await Promise.all([a, b, c, d, e].map((n) => n.stop()));
    await registry.stop();
    rmSync(dataDir, { recursive: true, force: true });
    if (schema) {
      const db = await openDatabase({ url: process.env.DATABASE_URL });
      await db.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await db.close();
    }
  });

  it('is not ready before it has a network map, and ready after', async () => {
    const readyz = () => fetch(`http://127.0.0.1:${push.opsPort}/readyz`).then((r) => r.status);
    expect(await readyz()).toBe(503);
    registry.publish([[LOW, [a, b, c]], [HIGH, [d]]]);
    await eventually(async () => expect(await readyz()).toBe(200), 5_000);
    // Ops routes are not on the public port.
    expect((await fetch(`${push.url}/readyz`)).status).toBe(404);
  });

  it('answers a subscription through onion v4 as upstream and subscribes at every member of the swarm, with the signature it got', async () => {
    const body = subscribeBody(bob, { serviceInfo: { endpoint: `${endpoint.origin}/up/bob` } });
    expect(await throughOnion(push, '/subscribe', body)).toEqual({ code: 200, json: { success: true, added: true, message: 'Subscription successful' } });
    for (const node of [a, b, c]) await eventually(() => expect(node.subscribedAccounts()).toEqual([bob.accountHex]), 5_000);
    expect(d.streams).toHaveLength(0);
    const sent = a.streams[0]!.subscriptions[0]!;
    expect(Buffer.from(sent.signature).toString('base64')).toBe(body.signature);
    expect(sent).toMatchObject({ namespaces: [0], wantData: true, signatureTimestamp: String(body.sig_ts) });
  });

  it('delivers a message every member reports exactly once, encrypted to the subscriber', async () => {
    const first = notice(bob);
    for (const node of [a, b, c]) node.notify(first);
    const marker = notice(bob);
    for (const node of [c, b, a]) node.notify(marker);
    await eventually(() => expect(delivered()).toContain(marker.hash), 10_000);
    expect(delivered().sort()).toEqual([first.hash, marker.hash].sort());
    const opened = openDelivered(JSON.parse(endpoint.received[0]!.body.toString()), bob.encKey);
    expect(opened.metadata).toMatchObject({ account: bob.accountHex, namespace: 0 });
    expect(Buffer.from(opened.data!).toString()).toBe(`message ${opened.metadata.hash}`);
    const metrics = await (await fetch(`http://127.0.0.1:${push.opsPort}/metrics`)).text();
    expect(metrics).toMatch(/push_notices_received_total(?:\{[^}]*\})? 6/);
    expect(metrics).toMatch(/push_watched_accounts(?:\{[^}]*\})? 1/);
    expect(metrics).toMatch(/push_monitor_streams(?:\{[^}]*\})? 3/);
  });

  it('subscribes again at a node that restarted', async () => {
    const streams = b.streams.length;
    const port = b.port;
    await b.stop();
    await b.start(port);
    await eventually(() => expect(b.streams.length).toBeGreaterThan(streams), 10_000);
    await eventually(() => expect(b.subscribedAccounts()).toEqual([bob.accountHex]), 5_000);
  });

  it('follows swarm changes: a new member gets the subscriptions, a node that left loses its stream', async () => {
    const cStream = c.streams[c.streams.length - 1]!.call;
    registry.publish([[LOW, [a, b, e]], [HIGH, [c, d]]]);
    await eventually(() => expect(e.subscribedAccounts()).toEqual([bob.accountHex]), 5_000);
    await eventually(() => expect(cStream.cancelled).toBe(true), 5_000);
    expect(d.streams).toHaveLength(0);
  });

  it('delivers nothing more after /unsubscribe', async () => {
    const carol = subscriberIn(true);
    const carolEndpoint = `${endpoint.origin}/up/carol`;
    expect((await throughOnion(push, '/subscribe', subscribeBody(carol, { serviceInfo: { endpoint: carolEndpoint } }))).json.added).toBe(true);
    await eventually(() => expect(a.subscribedAccounts()).toContain(carol.accountHex), 5_000);
    const res = await fetch(`${push.url}/unsubscribe`, { method: 'POST', body: JSON.stringify(unsubscribeBody(bob, { serviceInfo: { endpoint: `${endpoint.origin}/up/bob` } })) });
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(await res.json()).toEqual({ success: true, removed: true, message: 'Device unsubscribed from push notifications' });
    const before = endpoint.received.length;
    for (const node of [a, b, e]) node.notify(notice(bob));
    const marker = notice(carol);
    for (const node of [a, b, e]) node.notify(marker);
    await eventually(() => expect(endpoint.received.length).toBe(before + 1), 10_000);
    expect(endpoint.received[before]!.path).toBe('/up/carol');
  });
});
