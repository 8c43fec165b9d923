// The four push metrics as Prometheus scrapes them; the subscription gauge is read from the
// database at scrape time (replicas share it).
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
