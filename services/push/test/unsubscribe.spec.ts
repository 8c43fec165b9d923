// /unsubscribe removes the (account, service, device) row when signed "UNSUBSCRIBE" || account ||
// sig_ts within a day of the server clock; other devices and accounts keep theirs.
import { ready } from '@starling/crypto';
import { testDatabases } from '@starling/platform';
import { openApi, type ApiHarness } from './support/api-harness';
import { sessionSubscriber, subscribeBody, unsubscribeBody } from './support/subscriber';

beforeAll(ready);

const DAY = 86_400;

describe.each(testDatabases())('unsubscribe on $name', (backend) => {
  let h: ApiHarness;
  beforeAll(async () => (h = await openApi(backend)));
  afterAll(() => h.close());
  const now = () => Math.floor(h.clock.nowMs / 1000);

  it('removes the device, then says it was not subscribed', async () => {
    const alice = sessionSubscriber();
    const phone = { endpoint: 'http://127.0.0.1:9/up/alice-phone-0123456789abcdef' };
    const laptop = { endpoint: 'http://127.0.0.1:9/up/alice-laptop-0123456789abcdef' };
    await h.post('/subscribe', [subscribeBody(alice, { serviceInfo: phone }), subscribeBody(alice, { serviceInfo: laptop })]);

    const first = await h.post('/unsubscribe', unsubscribeBody(alice, { serviceInfo: phone }));
    expect(first.json).toEqual({ success: true, removed: true, message: 'Device unsubscribed from push notifications' });
    const second = await h.post('/unsubscribe', unsubscribeBody(alice, { serviceInfo: phone }));
    expect(second.json).toEqual({ success: true, removed: false, message: 'Device was not subscribed to push notifications' });

    const left = await h.store.forNotice(alice.account, 0, now());
    expect(left.map((s) => s.serviceData!.toString())).toEqual([laptop.endpoint]);
  });

  it('refuses a signature by another key and leaves the row', async () => {
    const bob = sessionSubscriber();
    await h.post('/subscribe', subscribeBody(bob));
    const { json } = await h.post('/unsubscribe', unsubscribeBody(bob, { signer: sessionSubscriber().ed25519.secretKey }));
    expect(json).toEqual({ error: 4, message: 'Signature verification failed' });
    expect(await h.store.forNotice(bob.account, 0, now())).toHaveLength(1);
  });

  it('refuses a sig_ts more than a day away with upstream generic message', async () => {
    const carol = sessionSubscriber();
    await h.post('/subscribe', subscribeBody(carol));
    for (const sigTs of [now() - DAY - 1, now() + DAY + 1]) {
      const { json } = await h.post('/unsubscribe', unsubscribeBody(carol, { sigTs }));
      expect(json).toEqual({ error: 4, message: 'An error occured while processing your request' });
    }
    expect((await h.post('/unsubscribe', unsubscribeBody(carol, { sigTs: now() - DAY + 60 }))).json.removed).toBe(true);
  });

  it('refuses a device token with a NUL character (the table cannot hold one) instead of failing', async () => {
    const erin = sessionSubscriber();
    const { json } = await h.post('/unsubscribe', unsubscribeBody(erin, { service: 'firebase', serviceInfo: { token: `${'b'.repeat(40)}\u0000` } }));
    expect(json).toEqual({ error: 4, message: 'Invalid token: contains a NUL character' });
  });

  it('does not accept a MONITOR signature as an unsubscribe signature', async () => {
    const dave = sessionSubscriber();
    const sub = subscribeBody(dave);
    await h.post('/subscribe', sub);
    const { json } = await h.post('/unsubscribe', { ...unsubscribeBody(dave), signature: sub.signature });
    expect(json.error).toBe(4);
  });
});
