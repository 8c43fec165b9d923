// The four push metrics as Prometheus scrapes them; the subscription gauge is read from the
// database at scrape time (replicas share it). Counters of rare events exist at 0 from the start.
import { ready } from '@starling/crypto';
import { createMetrics, testDatabases } from '@starling/platform';
import { PushMetrics } from '../src/metrics';
import { openApi } from './support/api-harness';
import { sessionSubscriber, subscribeBody } from './support/subscriber';

beforeAll(ready);

describe.each(testDatabases())('push metrics on $name', (backend) => {
  it('exposes push_subscriptions, push_notices_received_total, push_deliveries_total and push_delivery_duration_seconds', async () => {
    const h = await openApi(backend);
    try {
      const registry = createMetrics('push', { defaultMetrics: false });
      const metrics = new PushMetrics(registry, () => h.store.count());
      await h.post('/subscribe', [subscribeBody(sessionSubscriber()), subscribeBody(sessionSubscriber())]);
      metrics.noticeReceived();
      metrics.delivery('apns', 'unregistered');
      metrics.deliveryDuration('apns', 0.042);
      const text = await registry.text();
      // No `service` label of their own: Prometheus' scrape configuration sets it.
      expect(text).toContain('push_subscriptions 2');
      expect(text).toContain('push_notices_received_total 1');
      expect(text).toContain('push_deliveries_total{provider="apns",outcome="unregistered"} 1');
      expect(text).toContain('push_delivery_duration_seconds_bucket{le="0.05",provider="apns"} 1');
    } finally {
      await h.close();
    }
  });
});

it('starts deliveries per offered provider, onion outcomes and monitor refusals at 0', async () => {
  const registry = createMetrics('push', { defaultMetrics: false });
  new PushMetrics(registry, async () => 0, ['unifiedpush', 'apns']);
  const text = await registry.text();
  const series = (name: string) => text.split('\n').filter((line) => line.startsWith(`${name}{`));
  // 2 providers x 7 outcomes, all at 0; none for a provider this server does not offer.
  expect(series('push_deliveries_total')).toHaveLength(14);
  expect(series('push_deliveries_total').every((line) => line.endsWith(' 0'))).toBe(true);
  expect(text).toContain('push_deliveries_total{provider="apns",outcome="exhausted"} 0');
  expect(text).not.toContain('provider="firebase"');
  expect(text).toContain('push_delivery_duration_seconds_count{provider="unifiedpush"} 0');
  expect(series('push_onion_requests_total')).toHaveLength(6);
  expect(text).toContain('push_onion_requests_total{version="v4",outcome="bad_ciphertext"} 0');
  // Upstream's monitor error codes 1..6.
  expect(series('push_monitor_refusals_total').map((line) => /errcode="(\d+)"/.exec(line)?.[1])).toEqual(['1', '2', '3', '4', '5', '6']);
});
