// Every member of the account's swarm reports the same new message, to each of two push replicas
// sharing one SharedState (Redis with REDIS_URL): the subscriber's endpoint receives exactly one
// notice, which decrypts with the subscriber's enc_key to the message's hash, namespace and data.
import { randomBytes } from 'crypto';
import { messageHash, ready } from '@starling/crypto';
import { createMetrics, testDatabases, testSharedStates, type SharedState } from '@starling/platform';
import { DeliveryQueue } from '../src/delivery/delivery-queue';
import { PushMetrics } from '../src/metrics';
import { NoticeDispatcher, type MessageNotice } from '../src/notices/notice-dispatcher';
import { NoticeFilter } from '../src/notices/notice-filter';
import { openApi, type ApiHarness } from './support/api-harness';
import { counterValue } from './support/metric-values';
import { openDelivered } from './support/notice';
import { sessionSubscriber, subscribeBody, unsubscribeBody, type TestSubscriber } from './support/subscriber';
import { startUnifiedPushEndpoint, type UnifiedPushEndpoint } from './support/unifiedpush-endpoint';

beforeAll(ready);

const backends = testDatabases().flatMap((db) => testSharedStates().map((state) => ({ name: `${db.name}+${state.name}`, db, state })));

describe.each(backends)('notices on $name', ({ db, state: stateBackend }) => {
  let h: ApiHarness;
  let endpoint: UnifiedPushEndpoint;
  let state: SharedState;
  let replicas: Array<{ dispatcher: NoticeDispatcher; queue: DeliveryQueue }>;
  const metrics = createMetrics('push', { defaultMetrics: false });

  beforeAll(async () => {
    h = await openApi(db);
    endpoint = await startUnifiedPushEndpoint();
    state = await stateBackend.open();
    const pushMetrics = new PushMetrics(metrics, () => h.store.count());
    replicas = [0, 1].map(() => {
      const queue = new DeliveryQueue({
        concurrency: 8,
        maxQueued: 1000,
        maxAttempts: 3,
        baseBackoffMs: 5,
        maxBackoffMs: 20,
        metrics: pushMetrics,
        onUnregistered: async (service, target) => void (await h.store.removeTarget(service, target.serviceId)),
      });
      const dispatcher = new NoticeDispatcher({ store: h.store, filter: new NoticeFilter(state, 60_000), queue, providers: h.providers, metrics: pushMetrics });
      return { dispatcher, queue };
    });
  });
  afterAll(async () => {
    for (const r of replicas) await r.queue.close();
    await state.close();
    await endpoint.close();
    await h.close();
  });
  beforeEach(() => (endpoint.received.length = 0));

  async function subscribe(s: TestSubscriber, namespaces: number[], data = true) {
    const serviceInfo = { endpoint: `${endpoint.origin}/up/${s.accountHex}` };
    expect((await h.post('/subscribe', subscribeBody(s, { namespaces, data, serviceInfo }))).json.success).toBe(true);
  }
  function stored(s: TestSubscriber, namespace: number, data = randomBytes(120)): MessageNotice {
    const now = Date.now();
    return { account: s.account, hash: messageHash(s.account, namespace, data), namespace, timestampMs: now, expiryMs: now + 14 * 86_400_000, data };
  }
  async function reportFromSwarm(notice: MessageNotice, members = 3): Promise<void> {
    await Promise.all(replicas.flatMap((r) => Array.from({ length: members }, () => r.dispatcher.dispatch(notice))));
    await Promise.all(replicas.map((r) => r.queue.idle()));
  }

  it('delivers one notice that decrypts to the message, although six reports came in', async () => {
    const bob = sessionSubscriber();
    await subscribe(bob, [0]);
    const received = await counterValue(metrics, 'push_notices_received_total');
    const notice = stored(bob, 0);
    await reportFromSwarm(notice);
    expect(endpoint.received).toHaveLength(1);
    expect(endpoint.received[0]!.path).toBe(`/up/${bob.accountHex}`);
    const opened = openDelivered(JSON.parse(endpoint.received[0]!.body.toString()), bob.encKey);
    expect(opened.metadata).toEqual({
      account: bob.accountHex,
      hash: notice.hash,
      namespace: 0,
      timestampMs: notice.timestampMs,
      expiryMs: notice.expiryMs,
      dataLength: 120,
    });
    expect(Buffer.from(opened.data!).equals(notice.data!)).toBe(true);
    expect((await counterValue(metrics, 'push_notices_received_total')) - received).toBe(6);
  });

  it('sends each of two messages once, and each of two devices of one account once', async () => {
    const carol = sessionSubscriber();
    await subscribe(carol, [0]);
    const laptop = { endpoint: `${endpoint.origin}/up/laptop-${carol.accountHex}` };
    await h.post('/subscribe', subscribeBody(carol, { serviceInfo: laptop }));
    await reportFromSwarm(stored(carol, 0));
    await reportFromSwarm(stored(carol, 0));
    expect(endpoint.received).toHaveLength(4);
    expect(new Set(endpoint.received.map((r) => r.path)).size).toBe(2);
  });

  it('leaves out the data for a subscription without it, and sends nothing for an unwatched namespace', async () => {
    const dave = sessionSubscriber();
    await subscribe(dave, [0, 5], false);
    await reportFromSwarm(stored(dave, 3));
    expect(endpoint.received).toHaveLength(0);
    await reportFromSwarm(stored(dave, 5));
    const opened = openDelivered(JSON.parse(endpoint.received[0]!.body.toString()), dave.encKey);
    expect(opened.metadata.namespace).toBe(5);
    expect(opened.metadata.dataLength).toBeUndefined();
    expect(opened.data).toBeUndefined();
  });

  it('marks data over 2,500 bytes as too long instead of sending it', async () => {
    const erin = sessionSubscriber();
    await subscribe(erin, [0]);
    await reportFromSwarm(stored(erin, 0, randomBytes(3000)));
    const opened = openDelivered(JSON.parse(endpoint.received[0]!.body.toString()), erin.encKey);
    expect(opened.metadata).toMatchObject({ dataLength: 3000, dataTooLong: true });
    expect(opened.data).toBeUndefined();
    expect(endpoint.received[0]!.body.length).toBeLessThan(4096);
  });

  it('sends nothing after unsubscribe', async () => {
    const frank = sessionSubscriber();
    await subscribe(frank, [0]);
    const body = unsubscribeBody(frank, { serviceInfo: { endpoint: `${endpoint.origin}/up/${frank.accountHex}` } });
    expect((await h.post('/unsubscribe', body)).json.removed).toBe(true);
    await reportFromSwarm(stored(frank, 0));
    expect(endpoint.received).toHaveLength(0);
  });
});
