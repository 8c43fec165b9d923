// The APNs provider against a local HTTP/2 TLS server: path, headers, ES256 provider token, the
// payload upstream sends, one connection for many notices, and the error answers.
import { ready } from '@starling/crypto';
import { ApnsProvider } from '../src/delivery/apns';
import { startApnsServer, type ApnsServer } from './support/apns-server';
import { openDelivered, testNotice } from './support/notice';

beforeAll(ready);

const DEVICE = '9f'.repeat(32);

describe('APNs provider', () => {
  let apns: ApnsServer;
  let provider: ApnsProvider;
  const clock = { nowMs: Date.now() };
  beforeAll(async () => {
    apns = await startApnsServer();
    provider = new ApnsProvider({ keyPem: apns.keyPem, keyId: apns.keyId, teamId: apns.teamId, topic: apns.topic, origin: apns.origin, timeoutMs: 5000, ca: apns.ca, now: () => clock.nowMs });
  });
  afterAll(async () => {
    await provider.close();
    await apns.close();
  });
  beforeEach(() => (apns.respond = () => ({ status: 200 })));

  it('POSTs the alert with enc_payload to /3/device/<token> with the token-auth headers', async () => {
    const notice = testNotice();
    expect(await provider.send(provider.target({ token: DEVICE }), notice)).toEqual({ kind: 'delivered' });
    const [req] = apns.received.slice(-1);
    expect(req!.method).toBe('POST');
    expect(req!.path).toBe(`/3/device/${DEVICE}`);
    expect(req!.headers['apns-topic']).toBe('org.starling.messenger');
    expect(req!.headers['apns-push-type']).toBe('alert');
    expect(req!.headers['apns-priority']).toBe('10');
    expect(req!.headers['apns-expiration']).toBe(String(Math.floor(notice.expiryMs / 1000)));
    expect(req!.headers['content-type']).toBe('application/json');
    const body = JSON.parse(req!.body.toString('utf8'));
    expect(body).toMatchObject({
      aps: { alert: { title: 'Session', body: "You've got a new message" }, badge: 1, sound: 'default', 'mutable-content': 1, category: 'SECRET' },
      spns: 1,
    });
    expect(Object.keys(body)).toEqual(['aps', 'enc_payload', 'spns']);
    expect(openDelivered(body).metadata.hash).toBe(notice.hash);
  });

  it('keeps one HTTP/2 connection and one provider token for many notices', async () => {
    const sessions = apns.sessions;
    await Promise.all([1, 2, 3, 4].map(() => provider.send(provider.target({ token: DEVICE }), testNotice())));
    expect(apns.sessions).toBe(sessions);
    expect(new Set(apns.bearers.slice(-4)).size).toBe(1);
  });

  it('makes a new provider token after 40 minutes', async () => {
    await provider.send(provider.target({ token: DEVICE }), testNotice());
    const before = apns.bearers.at(-1);
    clock.nowMs += 40 * 60_000;
    await provider.send(provider.target({ token: DEVICE }), testNotice());
    expect(apns.bearers.at(-1)).not.toBe(before);
  });

  it('makes a new provider token when APNs calls it expired', async () => {
    apns.respond = () => ({ status: 403, body: JSON.stringify({ reason: 'ExpiredProviderToken' }) });
    clock.nowMs += 1000; // a different iat, so the new token differs
    expect(await provider.send(provider.target({ token: DEVICE }), testNotice())).toMatchObject({ kind: 'retry', retryAfterMs: 0 });
    const refused = apns.bearers.at(-1);
    apns.respond = () => ({ status: 200 });
    expect(await provider.send(provider.target({ token: DEVICE }), testNotice())).toEqual({ kind: 'delivered' });
    expect(apns.bearers.at(-1)).not.toBe(refused);
  });

  it.each([
    ['410 Unregistered', 410, 'Unregistered', 'unregistered'],
    ['400 BadDeviceToken', 400, 'BadDeviceToken', 'unregistered'],
    ['400 DeviceTokenNotForTopic', 400, 'DeviceTokenNotForTopic', 'unregistered'],
    ['400 PayloadTooLarge', 413, 'PayloadTooLarge', 'rejected'],
    ['400 BadTopic', 400, 'BadTopic', 'rejected'],
    ['429 TooManyRequests', 429, 'TooManyRequests', 'retry'],
    ['500 InternalServerError', 500, 'InternalServerError', 'retry'],
    ['503 ServiceUnavailable', 503, 'ServiceUnavailable', 'retry'],
  ])('takes %s as %s', async (_name, status, reason, kind) => {
    apns.respond = () => ({ status, body: JSON.stringify({ reason }) });
    expect((await provider.send(provider.target({ token: DEVICE }), testNotice())).kind).toBe(kind);
  });

  it('reconnects after the server goes away, and retries when it cannot connect', async () => {
    const other = await startApnsServer();
    const p = new ApnsProvider({ keyPem: other.keyPem, keyId: other.keyId, teamId: other.teamId, topic: other.topic, origin: other.origin, timeoutMs: 2000, ca: other.ca });
    expect((await p.send(p.target({ token: DEVICE }), testNotice())).kind).toBe('delivered');
    await p.close();
    expect((await p.send(p.target({ token: DEVICE }), testNotice())).kind).toBe('delivered');
    expect(other.sessions).toBe(2);
    await p.close();
    await other.close();
    expect((await p.send(p.target({ token: DEVICE }), testNotice())).kind).toBe('retry');
    await p.close();
  });
});
