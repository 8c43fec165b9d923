// The FCM HTTP v1 provider against a local FCM and OAuth2 token endpoint: the service-account
// JWT exchange, the exact messages:send request, token reuse and renewal, and the error answers.
import { ready } from '@starling/crypto';
import { FcmProvider } from '../src/delivery/fcm';
import { parseServiceAccount } from '../src/delivery/google-oauth';
import { fcmError, startFcmServer, type FcmServer } from './support/fcm-server';
import { openDelivered, testNotice } from './support/notice';

beforeAll(ready);

const DEVICE = 'dXz7:APA91bH' + 'q'.repeat(140);

describe('FCM provider', () => {
  let fcm: FcmServer;
  let provider: FcmProvider;
  beforeAll(async () => {
    fcm = await startFcmServer();
    provider = new FcmProvider({ account: parseServiceAccount(fcm.serviceAccountJson), endpoint: fcm.origin, timeoutMs: 5000 });
  });
  afterAll(async () => {
    await provider.close();
    await fcm.close();
  });
  beforeEach(() => {
    fcm.respond = () => ({ status: 200, body: JSON.stringify({ name: `projects/${fcm.projectId}/messages/1` }) });
    fcm.tokenFailure = undefined;
  });

  it('exchanges a signed assertion for a token, then sends a data-only high-priority message', async () => {
    const notice = testNotice();
    expect(await provider.send(provider.target({ token: DEVICE }), notice)).toEqual({ kind: 'delivered' });
    expect(fcm.assertions).toHaveLength(1);
    const [send] = fcm.sends.slice(-1);
    expect(send!.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(send!.headers.authorization).toMatch(/^Bearer ya29\./);
    const body = JSON.parse(send!.body.toString('utf8'));
    expect(Object.keys(body.message)).toEqual(['token', 'data', 'android']);
    expect(body.message.token).toBe(DEVICE);
    expect(Object.keys(body.message.data)).toEqual(['enc_payload', 'spns']);
    expect(body.message.data.spns).toBe('1');
    expect(body.message.android.priority).toBe('high');
    expect(body.message.android.ttl).toMatch(/^3[0-9]{3}s$/);
    expect(openDelivered(body.message.data).metadata.hash).toBe(notice.hash);
  });

  it('reuses the access token, and fetches a new one after the service refuses it (401)', async () => {
    const before = fcm.tokenRequests.length;
    await provider.send(provider.target({ token: DEVICE }), testNotice());
    expect(fcm.tokenRequests.length).toBe(before);
    fcm.issued.clear();
    expect(await provider.send(provider.target({ token: DEVICE }), testNotice())).toMatchObject({ kind: 'retry', retryAfterMs: 0 });
    expect(await provider.send(provider.target({ token: DEVICE }), testNotice())).toEqual({ kind: 'delivered' });
    expect(fcm.tokenRequests.length).toBe(before + 1);
  });

  it.each([
    ['404 UNREGISTERED', 404, fcmError(404, 'NOT_FOUND', 'UNREGISTERED'), 'unregistered'],
    ['400 INVALID_ARGUMENT (bad token)', 400, fcmError(400, 'INVALID_ARGUMENT', 'INVALID_ARGUMENT'), 'unregistered'],
    ['403 SENDER_ID_MISMATCH', 403, fcmError(403, 'PERMISSION_DENIED', 'SENDER_ID_MISMATCH'), 'unregistered'],
    ['429 QUOTA_EXCEEDED', 429, fcmError(429, 'RESOURCE_EXHAUSTED', 'QUOTA_EXCEEDED'), 'retry'],
    ['500 INTERNAL', 500, fcmError(500, 'INTERNAL', 'INTERNAL'), 'retry'],
    ['503 UNAVAILABLE (not JSON)', 503, '<html>unavailable</html>', 'retry'],
    ['403 THIRD_PARTY_AUTH_ERROR', 403, fcmError(403, 'PERMISSION_DENIED', 'THIRD_PARTY_AUTH_ERROR'), 'rejected'],
  ])('takes %s as %s', async (_name, status, body, kind) => {
    fcm.respond = () => ({ status, body });
    expect((await provider.send(provider.target({ token: DEVICE }), testNotice())).kind).toBe(kind);
  });

  it('honours Retry-After on 503', async () => {
    fcm.respond = () => ({ status: 503, body: fcmError(503, 'UNAVAILABLE', 'UNAVAILABLE'), headers: { 'retry-after': '3' } });
    expect(await provider.send(provider.target({ token: DEVICE }), testNotice())).toMatchObject({ kind: 'retry', retryAfterMs: 3000 });
  });

  it('retries when the token endpoint refuses the assertion', async () => {
    const stale = new FcmProvider({ account: parseServiceAccount(fcm.serviceAccountJson), endpoint: fcm.origin, timeoutMs: 5000 });
    fcm.tokenFailure = { status: 400, body: '{"error":"invalid_grant"}' };
    expect(await stale.send(stale.target({ token: DEVICE }), testNotice())).toMatchObject({ kind: 'retry', detail: 'oauth: token endpoint answered 400' });
  });

  it('refuses a service account file without its key', () => {
    expect(() => parseServiceAccount(JSON.stringify({ project_id: 'p', client_email: 'e' }))).toThrow('service account: "private_key" is missing');
    expect(() => parseServiceAccount('{')).toThrow('service account: not JSON');
  });
});
