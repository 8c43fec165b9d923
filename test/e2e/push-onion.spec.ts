// Push notifications on the local network: Bob subscribes a UnifiedPush endpoint at the push
// server through an onion path; Alice's messages, stored in Bob's swarm through onion paths, each
// reach the endpoint exactly once as a notice that decrypts with Bob's key to the stored message's
// hash and namespace — also while a storage node of Bob's swarm is killed. After /unsubscribe
// nothing arrives; bad subscriptions are refused with upstream's answers.
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { AccountStore, MessageSender, onionKeysOf, PushClient, readPushNotice, StarlingNetwork, type PushServer } from '@starling/client';
import { generateIdentity, monitorSigningText, ready, signEd25519, toBase64, toHex, type Identity } from '@starling/crypto';
import { eventually } from '@starling/platform';
import { sharedNetwork, type SharedNetwork, type SharedService } from './support/shared-network';
import { startPushEndpoint, type PushEndpoint } from '../src/support/push-endpoint';

let net: SharedNetwork;
let endpoint: PushEndpoint;
let pushServer: PushServer;
const folders: string[] = [];
const DAY = 86_400;

async function device() {
  const home = mkdtempSync(join(tmpdir(), 'starling-push-device-'));
  folders.push(home);
  const store = new AccountStore(home);
  const identity: Identity = store.createIdentity(generateIdentity().seed16);
  const network = await StarlingNetwork.connect({ seedUrl: net.seedUrl, sessionId: identity.sessionId });
  return { store, identity, network, sender: new MessageSender(store, network.swarm), push: new PushClient(network.onion, pushServer, identity) };
}
type Device = Awaited<ReturnType<typeof device>>;

/** The notices delivered to `path`, opened with the subscription's key. */
function notices(path: string, encKey: Uint8Array) {
  return endpoint.received.filter((r) => r.path === path).map((r) => readPushNotice(r.body, encKey));
}

/** The storage processes of an account's swarm, as the map places it now. */
async function swarmOf(d: Device, account: string): Promise<SharedService[]> {
  const members = await d.network.swarm.swarmOf(account);
  return members.map((m) => net.node(m.ed25519)!).filter(Boolean);
}

/** Waits until every member of the account's swarm holds a monitor subscription. */
async function monitoredAt(members: SharedService[]): Promise<void> {
  await eventually(async () => {
    for (const p of members) {
      const text = await (await fetch(new URL('metrics', p.opsUrl))).text();
      expect(Number(/^swarm_store_monitor_subscriptions(?:\{[^}]*\})? (\d+)/m.exec(text)?.[1] ?? 0)).toBeGreaterThan(0);
    }
  }, 30_000);
}

beforeAll(async () => {
  await ready();
  endpoint = await startPushEndpoint();
  net = await sharedNetwork();
  pushServer = { url: net.edge.push!.url, key: net.edge.push!.pubkey };
}, 300_000);

afterAll(async () => {
  await endpoint?.close();
  for (const f of folders) rmSync(f, { recursive: true, force: true });
});

describe('push notifications through onion paths', () => {
  let alice: Device;
  let bob: Device;
  const bobKey = Buffer.alloc(32, 7);
  const phone = '/bob-phone';

  beforeAll(async () => {
    alice = await device();
    bob = await device();
  }, 60_000);

  it('delivers Alice’s message to Bob’s endpoint exactly once, readable only with Bob’s key', async () => {
    const subscribed = await bob.push.subscribe({ service: 'unifiedpush', endpoint: endpoint.origin + phone }, { encKey: bobKey });
    expect(subscribed.added).toBe(true);
    await monitoredAt(await swarmOf(bob, bob.identity.sessionId));

    const sent = await alice.sender.sendText(bob.identity.sessionId, 'hello Bob');
    await eventually(() => expect(notices(phone, bobKey).map((n) => n.metadata.hash)).toContain(sent.hash), 30_000);
    // A second message as a marker: once it is in, any repeat of the first would be too.
    const marker = await alice.sender.sendText(bob.identity.sessionId, 'marker');
    await eventually(() => expect(notices(phone, bobKey).map((n) => n.metadata.hash)).toContain(marker.hash), 30_000);

    const got = notices(phone, bobKey);
    expect(got.map((n) => n.metadata.hash)).toEqual([sent.hash, marker.hash]);
    expect(got[0]!.metadata).toMatchObject({ account: bob.identity.sessionId, hash: sent.hash, namespace: 0 });
    expect(got[0]!.data?.length).toBe(got[0]!.metadata.dataLength);
    const delivered = endpoint.received.find((r) => r.path === phone)!;
    expect(delivered.headers['content-type']).toBe('application/json');
    expect(() => readPushNotice(delivered.body, Buffer.alloc(32, 8))).toThrow(/authentication/);
  });

  it('misses nothing and repeats nothing while a storage node of Bob’s swarm is killed', async () => {
    const members = await swarmOf(bob, bob.identity.sessionId);
    expect(members.length).toBeGreaterThanOrEqual(3);
    const before = notices(phone, bobKey).length;
    const victim = members[0]!;
    const sent: string[] = [(await alice.sender.sendText(bob.identity.sessionId, 'before the kill')).hash];
    await net.kill(victim.name, 'SIGKILL');
    for (let i = 0; i < 5; i++) sent.push((await alice.sender.sendText(bob.identity.sessionId, `while a node is down ${i}`)).hash);
    const marker = (await alice.sender.sendText(bob.identity.sessionId, 'marker')).hash;
    await eventually(() => expect(notices(phone, bobKey).map((n) => n.metadata.hash)).toEqual(expect.arrayContaining([...sent, marker])), 60_000);
    const hashes = notices(phone, bobKey).slice(before).map((n) => n.metadata.hash);
    expect(hashes.sort()).toEqual([...sent, marker].sort());
  });

  it('sends nothing more to an endpoint after it unsubscribed', async () => {
    const laptop = '/bob-laptop';
    await bob.push.subscribe({ service: 'unifiedpush', endpoint: endpoint.origin + laptop }, { encKey: bobKey });
    expect(await bob.push.unsubscribe({ service: 'unifiedpush', endpoint: endpoint.origin + phone })).toEqual({ removed: true });
    const phoneBefore = notices(phone, bobKey).length;
    const first = (await alice.sender.sendText(bob.identity.sessionId, 'after unsubscribe')).hash;
    const second = (await alice.sender.sendText(bob.identity.sessionId, 'and another')).hash;
    await eventually(() => expect(notices(laptop, bobKey).map((n) => n.metadata.hash)).toEqual([first, second]), 30_000);
    expect(notices(phone, bobKey)).toHaveLength(phoneBefore);
    expect(await bob.push.unsubscribe({ service: 'unifiedpush', endpoint: endpoint.origin + phone })).toEqual({ removed: false });
  });

  it('refuses a bad signature, a stale timestamp and a namespace outside int16 with upstream’s answers', async () => {
    const account = Buffer.from(bob.identity.sessionId, 'hex');
    const now = Math.floor(Date.now() / 1000);
    const body = (over: { sigTs?: number; namespaces?: number[]; signer?: Uint8Array; signedNamespaces?: number[] } = {}) => {
      const sigTs = over.sigTs ?? now;
      const namespaces = over.namespaces ?? [0];
      const text = monitorSigningText(account, sigTs, true, over.signedNamespaces ?? namespaces);
      return {
        pubkey: bob.identity.sessionId,
        session_ed25519: toHex(bob.identity.ed25519.publicKey),
        namespaces,
        data: true,
        sig_ts: sigTs,
        signature: toBase64(signEd25519(over.signer ?? bob.identity.ed25519.secretKey, Buffer.from(text))),
        service: 'unifiedpush',
        service_info: { endpoint: `${endpoint.origin}/refused` },
        enc_key: toHex(bobKey),
      };
    };
    const post = async (value: unknown) => {
      const reply = await bob.network.onion.serverRequest(
        { host: '127.0.0.1', port: Number(new URL(pushServer.url).port), protocol: 'http', x25519: onionKeysOf(pushServer)[0]! },
        { meta: { method: 'POST', endpoint: '/subscribe', headers: { 'content-type': 'application/json' } }, body: Buffer.from(JSON.stringify(value)) },
      );
      expect(reply.code).toBe(200);
      return JSON.parse(Buffer.from(reply.body).toString());
    };
    expect(await post(body({ signer: alice.identity.ed25519.secretKey }))).toEqual({ error: 4, message: 'Signature verification failed' });
    expect(await post(body({ sigTs: now - 14 * DAY - 60 }))).toEqual({ error: 4, message: 'Subscription: sig_ts timestamp is too old' });
    const outside = await post(body({ namespaces: [0, 40_000] }));
    expect(outside.error).toBe(4);
    expect(outside.message).toMatch(/namespace/);
    // One request of each in an array: answers in the same order.
    expect((await post([body({ signer: alice.identity.ed25519.secretKey }), body()])).map((a: { error?: number; added?: boolean }) => a.error ?? a.added)).toEqual([4, true]);
  });
});
