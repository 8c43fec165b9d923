// A replica that has dispatched a message answers the other swarm members' later reports of it
// from memory: with the database gone, a repeat still returns 0 while a new message fails.
import { randomBytes } from 'crypto';
import { messageHash, ready } from '@starling/crypto';
import { createMetrics, InProcessSharedState, testDatabases } from '@starling/platform';
import { DeliveryQueue } from '../src/delivery/delivery-queue';
import { PushMetrics } from '../src/metrics';
import { NoticeDispatcher } from '../src/notices/notice-dispatcher';
import { NoticeFilter } from '../src/notices/notice-filter';
import { openApi } from './support/api-harness';
import { sessionSubscriber, subscribeBody } from './support/subscriber';
import { startUnifiedPushEndpoint } from './support/unifiedpush-endpoint';

beforeAll(ready);

describe.each(testDatabases().slice(0, 1))('repeated reports on $name', (backend) => {
  it('skips a repeat without asking the database', async () => {
    const h = await openApi(backend);
    const endpoint = await startUnifiedPushEndpoint();
    const state = new InProcessSharedState();
    const metrics = new PushMetrics(createMetrics('push', { defaultMetrics: false }), async () => 0);
    const queue = new DeliveryQueue({ concurrency: 2, maxQueued: 10, maxAttempts: 1, baseBackoffMs: 1, maxBackoffMs: 1, metrics, onUnregistered: async () => {} });
    const dispatcher = new NoticeDispatcher({ store: h.store, filter: new NoticeFilter(state, 60_000), queue, providers: h.providers, metrics });
    const bob = sessionSubscriber();
    await h.post('/subscribe', subscribeBody(bob, { serviceInfo: { endpoint: `${endpoint.origin}/up/${bob.accountHex}` } }));
    const notice = (data: Buffer) => ({ account: bob.account, hash: messageHash(bob.account, 0, data), namespace: 0, timestampMs: Date.now(), expiryMs: Date.now() + 60_000, data });
    const first = notice(randomBytes(10));
    expect(await dispatcher.dispatch(first)).toBe(1);
    await queue.idle();
    await h.close(); // the database is gone from here on
    expect(await dispatcher.dispatch(first)).toBe(0);
    await expect(dispatcher.dispatch(notice(randomBytes(10)))).rejects.toThrow();
    expect(endpoint.received).toHaveLength(1);
    await queue.close();
    await state.close();
    await endpoint.close();
  });
});
