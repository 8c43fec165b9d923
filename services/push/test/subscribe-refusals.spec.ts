// Every refusal of /subscribe answers HTTP 200 with upstream's {"error": code, "message"}: a table
// of requests, each wrong in one way, and what upstream's hivemind answers for it. Nothing is
// stored for any of them.
import { ready, toBase64, toHex } from '@starling/crypto';
import { testDatabases } from '@starling/platform';
import { openApi, type ApiHarness } from './support/api-harness';
import { sessionSubscriber, subscribeBody, type TestSubscriber } from './support/subscriber';

beforeAll(ready);

const DAY = 86_400;
type Case = { name: string; body: (s: TestSubscriber, now: number) => unknown; code: number; message: string | RegExp };

const without = (o: Record<string, unknown>, key: string) => Object.fromEntries(Object.entries(o).filter(([k]) => k !== key));

const cases: Case[] = [
  { name: 'a JSON number instead of an object', body: () => 42, code: 1, message: 'Invalid JSON: expected object or array of objects' },
  { name: 'no pubkey', body: (s) => without(subscribeBody(s), 'pubkey'), code: 4, message: 'Missing required parameter: pubkey' },
  { name: 'a pubkey that is neither hex nor base64', body: (s) => ({ ...subscribeBody(s), pubkey: 'zz'.repeat(33) }), code: 4, message: 'Invalid value: expected bytes, hex, or base64' },
  { name: 'a Session ID without session_ed25519', body: (s) => without(subscribeBody(s), 'session_ed25519'), code: 4, message: 'Missing required parameter: session_ed25519' },
  {
    name: 'a session_ed25519 of another account',
    body: (s) => ({ ...subscribeBody(s), session_ed25519: toHex(sessionSubscriber().ed25519.publicKey) }),
    code: 4,
    message: 'account_id/session_ed25519 mismatch: session_ed25519 does not convert to given account_id',
  },
  { name: 'a subaccount without its signature', body: (s) => ({ ...subscribeBody(s), subaccount: toBase64(new Uint8Array(36)) }), code: 4, message: 'Cannot specify subaccount without subaccount_sig' },
  { name: 'a service this server does not offer', body: (s) => subscribeBody(s, { service: 'huawei' }), code: 2, message: 'huawei notification service not currently available' },
  { name: 'no enc_key', body: (s) => without(subscribeBody(s), 'enc_key'), code: 4, message: 'Missing required parameter: enc_key' },
  { name: 'an enc_key of 31 bytes', body: (s) => ({ ...subscribeBody(s), enc_key: '00'.repeat(31) }), code: 4, message: 'Invalid value: expected bytes, hex, or base64' },
  { name: 'no namespaces', body: (s) => subscribeBody(s, { namespaces: [] }), code: 4, message: 'Subscription: namespaces missing or empty' },
  { name: 'unsorted namespaces', body: (s) => subscribeBody(s, { namespaces: [5, 0] }), code: 4, message: 'Subscription: namespaces are not sorted numerically' },
  { name: 'a repeated namespace', body: (s) => subscribeBody(s, { namespaces: [0, 0] }), code: 4, message: 'Subscription: namespaces contains duplicates' },
  { name: 'a namespace outside int16', body: (s) => subscribeBody(s, { namespaces: [0, 40000] }), code: 4, message: /namespaces/ },
  { name: 'no data flag', body: (s) => without(subscribeBody(s), 'data'), code: 4, message: 'Missing required parameter: data' },
  { name: 'a zero sig_ts', body: (s) => subscribeBody(s, { sigTs: 0 }), code: 4, message: 'Subscription: signature timestamp is missing' },
  { name: 'a sig_ts in milliseconds (far future)', body: (s, now) => subscribeBody(s, { sigTs: now * 1000 }), code: 4, message: 'Subscription: sig_ts timestamp is too far in the future' },
  { name: 'a sig_ts 14 days old', body: (s, now) => subscribeBody(s, { sigTs: now - 14 * DAY }), code: 4, message: 'Subscription: sig_ts timestamp is too old' },
  { name: 'a sig_ts one day ahead', body: (s, now) => subscribeBody(s, { sigTs: now + DAY }), code: 4, message: 'Subscription: sig_ts timestamp is too far in the future' },
  { name: 'a signature by another key', body: (s) => subscribeBody(s, { signer: sessionSubscriber().ed25519.secretKey }), code: 4, message: 'Signature verification failed' },
  {
    name: 'a signature over other namespaces',
    body: (s) => ({ ...subscribeBody(s, { namespaces: [0] }), namespaces: [0, 2] }),
    code: 4,
    message: 'Signature verification failed',
  },
  { name: 'an APNs token that is not 64 characters', body: (s) => subscribeBody(s, { service: 'apns', serviceInfo: { token: 'abc' } }), code: 4, message: 'Invalid token: expected length-64 device token, not 3' },
  { name: 'an APNs subscription without a token', body: (s) => subscribeBody(s, { service: 'apns', serviceInfo: {} }), code: 1, message: "Error: missing required key 'token'" },
  { name: 'an empty FCM token', body: (s) => subscribeBody(s, { service: 'firebase', serviceInfo: { token: '' } }), code: 4, message: 'Invalid firebase device token' },
  {
    name: 'an FCM token shorter than 32 characters',
    body: (s) => subscribeBody(s, { service: 'firebase', serviceInfo: { token: 'short' } }),
    code: 4,
    message: 'An error occured while processing your request',
  },
  {
    name: 'an FCM token with a NUL character',
    body: (s) => subscribeBody(s, { service: 'firebase', serviceInfo: { token: `${'a'.repeat(40)}\u0000` } }),
    code: 4,
    message: 'Invalid token: contains a NUL character',
  },
  { name: 'an APNs token of NUL characters', body: (s) => subscribeBody(s, { service: 'apns', serviceInfo: { token: '\u0000'.repeat(64) } }), code: 4, message: 'Invalid token: contains a NUL character' },
  { name: 'a UnifiedPush endpoint that is not http(s)', body: (s) => subscribeBody(s, { serviceInfo: { endpoint: 'file:///etc/passwd' } }), code: 4, message: 'Invalid UnifiedPush endpoint: expected an http or https URL' },
];

describe.each(testDatabases())('subscribe refusals on $name', (backend) => {
  let h: ApiHarness;
  beforeAll(async () => (h = await openApi(backend)));
  afterAll(() => h.close());

  it.each(cases)('$name -> error $code', async (c) => {
    const s = sessionSubscriber();
    const { response, json } = await h.post('/subscribe', c.body(s, Math.floor(h.clock.nowMs / 1000)));
    expect(response.status).toBe(200);
    expect(json.error).toBe(c.code);
    if (typeof c.message === 'string') expect(json.message).toBe(c.message);
    else expect(json.message).toMatch(c.message);
    expect(json.success).toBeUndefined();
    expect(await h.store.count()).toBe(0);
  });

  it('refuses a missing body, a body over 100,000 bytes and text that is not JSON with code 1', async () => {
    const text = (reply: { body: Uint8Array }) => JSON.parse(Buffer.from(reply.body).toString());
    const missing = await h.request('POST', '/subscribe');
    expect(text(missing)).toEqual({ error: 1, message: 'Invalid request: request body missing' });
    const large = await h.request('POST', '/subscribe', Buffer.alloc(100_001, 0x20));
    expect(text(large)).toEqual({ error: 1, message: 'Invalid request: request too large' });
    const garbage = await h.request('POST', '/subscribe', Buffer.from('{"pubkey":'));
    expect(text(garbage)).toEqual({ error: 1, message: 'Invalid JSON' });
  });

  it('refuses an array of more than 256 requests whole with code 1, and answers each of 256', async () => {
    const over = await h.post('/subscribe', Array(257).fill({}));
    expect(over.json).toEqual({ error: 1, message: 'Invalid request: more than 256 requests' });
    const full = await h.post('/unsubscribe', Array(256).fill(0));
    expect(full.json).toHaveLength(256);
    expect(full.json[255]).toEqual({ error: 4, message: 'Invalid request: expected a JSON object' });
  });

  it('answers 404 for an unknown path and 405 with Allow for another method', async () => {
    expect((await h.request('POST', '/register', Buffer.from('{}'))).status).toBe(404);
    const get = await h.request('GET', '/subscribe');
    expect(get.status).toBe(405);
    expect(get.headers.allow).toBe('POST');
  });
});
