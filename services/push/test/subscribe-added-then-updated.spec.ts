// A valid subscription is stored ("added"), the same device subscribing again renews it
// ("updated"), and an array of requests gets an array of answers in order.
import { ready, toHex } from '@starling/crypto';
import { testDatabases } from '@starling/platform';
import { openApi, type ApiHarness } from './support/api-harness';
import { groupSubscriber, sessionSubscriber, subscribeBody } from './support/subscriber';

beforeAll(ready);

describe.each(testDatabases())('subscribe on $name', (backend) => {
  let h: ApiHarness;
  beforeAll(async () => (h = await openApi(backend)));
  afterAll(() => h.close());

  it('answers added, then updated for the same account and device, with content type application/json', async () => {
    const alice = sessionSubscriber();
    const first = await h.post('/subscribe', subscribeBody(alice, { namespaces: [-10, 0, 5] }));
    expect(first.response.status).toBe(200);
    expect(first.response.headers['content-type']).toBe('application/json');
    expect(first.json).toEqual({ success: true, added: true, message: 'Subscription successful' });

    const again = await h.post('/subscribe', subscribeBody(alice, { namespaces: [0], data: false }));
    expect(again.json).toEqual({ success: true, updated: true, message: 'Resubscription successful' });

    const nowSeconds = Math.floor(h.clock.nowMs / 1000);
    expect(await h.store.forNotice(alice.account, 5, nowSeconds)).toEqual([]);
    const [sub] = await h.store.forNotice(alice.account, 0, nowSeconds);
    expect(sub).toMatchObject({ service: 'unifiedpush', wantData: false });
    expect(sub!.encKey.equals(alice.encKey)).toBe(true);
    expect(sub!.serviceData!.toString()).toBe(`http://127.0.0.1:9/up/${alice.accountHex}`);
  });

  it('keeps what storage nodes need to check the monitor signature', async () => {
    const bob = sessionSubscriber();
    const body = subscribeBody(bob, { namespaces: [0, 2] });
    await h.post('/subscribe', body);
    const [monitored] = await h.store.forMonitoring(bob.account, Math.floor(h.clock.nowMs / 1000));
    expect(monitored).toMatchObject({ sigTs: body.sig_ts, wantData: true, namespaces: [0, 2] });
    expect(toHex(monitored!.sessionEd25519!)).toBe(toHex(bob.ed25519.publicKey));
    expect(monitored!.signature.toString('base64')).toBe(body.signature);
  });

  it('takes a group account signed by its own key, and the same device for two accounts as two rows', async () => {
    const group = groupSubscriber();
    const alice = sessionSubscriber();
    const device = { endpoint: 'http://127.0.0.1:9/up/shared-device-endpoint-0123456789' };
    const { json } = await h.post('/subscribe', [
      subscribeBody(group, { namespaces: [-11, 11, 12, 13, 14], serviceInfo: device }),
      subscribeBody(alice, { serviceInfo: device }),
      { pubkey: 'nonsense' },
    ]);
    expect(json).toHaveLength(3);
    expect(json[0]).toMatchObject({ success: true, added: true });
    expect(json[1]).toMatchObject({ success: true, added: true });
    expect(json[2]).toMatchObject({ error: 4 });
  });

  it('stores APNs and FCM devices by their tokens', async () => {
    const carol = sessionSubscriber();
    const apnsToken = 'ab'.repeat(32);
    const fcmToken = 'f'.repeat(40) + ':APA91b' + 'x'.repeat(100);
    expect((await h.post('/subscribe', subscribeBody(carol, { service: 'apns', serviceInfo: { token: apnsToken } }))).json.added).toBe(true);
    expect((await h.post('/subscribe', subscribeBody(carol, { service: 'firebase', serviceInfo: { token: fcmToken } }))).json.added).toBe(true);
    const subs = await h.store.forNotice(carol.account, 0, Math.floor(h.clock.nowMs / 1000));
    expect(subs.map((s) => [s.service, s.serviceId]).sort()).toEqual([['apns', apnsToken], ['firebase', fcmToken]]);
  });
});
