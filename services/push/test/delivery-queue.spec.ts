// The delivery queue against a real UnifiedPush endpoint: at most `concurrency` attempts at once,
// retries with backoff until success or maxAttempts, a device the service calls gone has its
// subscriptions dropped, and overflow and expired notices are counted, not sent.
import { ready } from '@starling/crypto';
import { createMetrics, eventually, testDatabases, type ServiceMetrics } from '@starling/platform';
import { DeliveryQueue, type DeliveryQueueOptions } from '../src/delivery/delivery-queue';
import { UnifiedPushProvider } from '../src/delivery/unifiedpush';
import { PushMetrics } from '../src/metrics';
import { openApi, type ApiHarness } from './support/api-harness';
import { counterValue } from './support/metric-values';
import { testNotice } from './support/notice';
import { sessionSubscriber, subscribeBody } from './support/subscriber';
import { startUnifiedPushEndpoint, type UnifiedPushEndpoint } from './support/unifiedpush-endpoint';

beforeAll(ready);

describe('delivery queue', () => {
  let endpoint: UnifiedPushEndpoint;
  let provider: UnifiedPushProvider;
  let registry: ServiceMetrics;
  let pushMetrics: PushMetrics;
  let unregistered: string[];
  const queues: DeliveryQueue[] = [];

  beforeAll(async () => {
    endpoint = await startUnifiedPushEndpoint();
    provider = new UnifiedPushProvider({ allowPrivateAddresses: true, timeoutMs: 5000 });
  });
  afterAll(async () => {
    for (const q of queues) await q.close();
    await provider.close();
    await endpoint.close();
  });
  beforeEach(() => {
    endpoint.received.length = 0;
    endpoint.maxConcurrent = 0;
    endpoint.respond = () => ({ status: 201 });
    registry = createMetrics('push', { defaultMetrics: false });
    pushMetrics = new PushMetrics(registry, async () => 0);
    unregistered = [];
  });

  function queue(overrides: Partial<DeliveryQueueOptions> = {}): DeliveryQueue {
    const q = new DeliveryQueue({
      concurrency: 4,
      maxQueued: 1000,
      maxAttempts: 4,
      baseBackoffMs: 5,
      maxBackoffMs: 50,
      metrics: pushMetrics,
      onUnregistered: async (_service, target) => void unregistered.push(target.serviceId),
      ...overrides,
    });
    queues.push(q);
    return q;
  }
  const target = (n = 0) => provider.target({ endpoint: `${endpoint.origin}/up/device-${n}-0123456789abcdefghij` });
  const outcome = (o: string) => counterValue(registry, 'push_deliveries_total', { provider: 'unifiedpush', outcome: o });

  it('never has more than `concurrency` requests open, and delivers every notice', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    endpoint.respond = async () => {
      await gate;
      return { status: 201 };
    };
    const q = queue({ concurrency: 3 });
    for (let i = 0; i < 20; i++) q.enqueue({ provider, target: target(i), notice: testNotice() });
    await eventually(() => expect(endpoint.received).toHaveLength(3));
    expect(q.pending).toBe(20);
    release();
    await q.idle();
    expect(endpoint.received).toHaveLength(20);
    expect(endpoint.maxConcurrent).toBe(3);
    expect(await outcome('delivered')).toBe(20);
    expect(await counterValue(registry, 'push_delivery_duration_seconds', {})).toBeGreaterThan(0);
  });

  it('retries 5xx and 429 answers until one is accepted', async () => {
    const answers = [503, 429, 500];
    endpoint.respond = () => ({ status: answers.shift() ?? 201 });
    const q = queue();
    q.enqueue({ provider, target: target(), notice: testNotice() });
    await q.idle();
    expect(endpoint.received).toHaveLength(4);
    expect(await outcome('retried')).toBe(3);
    expect(await outcome('delivered')).toBe(1);
  });

  it('gives up after maxAttempts', async () => {
    endpoint.respond = () => ({ status: 502 });
    const q = queue({ maxAttempts: 3 });
    q.enqueue({ provider, target: target(), notice: testNotice() });
    await q.idle();
    expect(endpoint.received).toHaveLength(3);
    expect(await outcome('exhausted')).toBe(1);
    expect(await outcome('delivered')).toBe(0);
  });

  it('does not retry a permanent refusal, and reports a gone endpoint once', async () => {
    const q = queue();
    endpoint.respond = (req) => ({ status: req.path.includes('device-1-') ? 410 : 413 });
    q.enqueue({ provider, target: target(1), notice: testNotice() });
    q.enqueue({ provider, target: target(2), notice: testNotice() });
    await q.idle();
    expect(endpoint.received).toHaveLength(2);
    expect(unregistered).toEqual([target(1).serviceId]);
    expect(await outcome('unregistered')).toBe(1);
    expect(await outcome('rejected')).toBe(1);
  });

  it('counts notices past the queue bound as overflow, and skips expired messages', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    endpoint.respond = async () => {
      await gate;
      return { status: 201 };
    };
    const q = queue({ concurrency: 1, maxQueued: 2 });
    const accepted = [0, 1, 2, 3, 4].map((i) => q.enqueue({ provider, target: target(i), notice: testNotice() }));
    // one is in flight at once, two wait, two overflow
    expect(accepted).toEqual([true, true, true, false, false]);
    expect(q.enqueue({ provider, target: target(9), notice: testNotice() })).toBe(false);
    release();
    await q.idle();
    expect(await outcome('overflow')).toBe(3);
    expect(endpoint.received).toHaveLength(3);

    const fresh = queue();
    fresh.enqueue({ provider, target: target(), notice: testNotice(undefined, Date.now() - 1) });
    await fresh.idle();
    expect(await outcome('expired')).toBe(1);
    expect(endpoint.received).toHaveLength(3);
  });
});

describe.each(testDatabases())('a gone endpoint on $name', (backend) => {
  let h: ApiHarness;
  let endpoint: UnifiedPushEndpoint;
  beforeAll(async () => {
    h = await openApi(backend);
    endpoint = await startUnifiedPushEndpoint();
  });
  afterAll(async () => {
    await endpoint.close();
    await h.close();
  });

  it('drops every subscription of that endpoint', async () => {
    const provider = h.providers.get('unifiedpush')!;
    const device = { endpoint: `${endpoint.origin}/up/gone-0123456789abcdefghijklmnop` };
    const alice = sessionSubscriber();
    const bob = sessionSubscriber();
    await h.post('/subscribe', [subscribeBody(alice, { serviceInfo: device }), subscribeBody(bob, { serviceInfo: device }), subscribeBody(bob)]);
    endpoint.respond = () => ({ status: 404 });
    const q = new DeliveryQueue({
      concurrency: 2,
      maxQueued: 10,
      maxAttempts: 3,
      baseBackoffMs: 5,
      maxBackoffMs: 20,
      metrics: new PushMetrics(createMetrics('push', { defaultMetrics: false }), () => h.store.count()),
      onUnregistered: async (service, target) => void (await h.store.removeTarget(service, target.serviceId)),
    });
    q.enqueue({ provider, target: provider.target(device), notice: testNotice() });
    await q.idle();
    expect(await h.store.count()).toBe(1);
    const nowSeconds = Math.floor(Date.now() / 1000);
    expect(await h.store.forNotice(alice.account, 0, nowSeconds)).toEqual([]);
    expect(await h.store.forNotice(bob.account, 0, nowSeconds)).toHaveLength(1);
    await q.close();
  });
});
