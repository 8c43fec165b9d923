// The UnifiedPush provider against a local push server: the exact request it sends, and how each
// answer of the spec is taken.
import { ready } from '@starling/crypto';
import { UnifiedPushProvider } from '../src/delivery/unifiedpush';
import { startUnifiedPushEndpoint, type UnifiedPushEndpoint } from './support/unifiedpush-endpoint';
import { openDelivered, testNotice } from './support/notice';

beforeAll(ready);

describe('UnifiedPush provider', () => {
  let endpoint: UnifiedPushEndpoint;
  let provider: UnifiedPushProvider;
  beforeAll(async () => {
    endpoint = await startUnifiedPushEndpoint();
    provider = new UnifiedPushProvider({ allowPrivateAddresses: true, timeoutMs: 5000 });
  });
  afterAll(async () => {
    await provider.close();
    await endpoint.close();
  });
  beforeEach(() => {
    endpoint.received.length = 0;
    endpoint.respond = () => ({ status: 201 });
  });
  const target = (path = '/UP?token=0123456789abcdefghij0123456789') => provider.target({ endpoint: `${endpoint.origin}${path}` });

  it('POSTs {"enc_payload","spns":1} as JSON with TTL and Urgency to the exact endpoint', async () => {
    const notice = testNotice();
    expect(await provider.send(target(), notice)).toEqual({ kind: 'delivered' });
    const [req] = endpoint.received;
    expect(req!.method).toBe('POST');
    expect(req!.path).toBe('/UP?token=0123456789abcdefghij0123456789');
    expect(req!.headers['content-type']).toBe('application/json');
    expect(req!.headers.urgency).toBe('high');
    expect(Number(req!.headers.ttl)).toBeGreaterThan(3500);
    expect(Number(req!.headers.ttl)).toBeLessThanOrEqual(3600);
    const json = JSON.parse(req!.body.toString('utf8'));
    expect(Object.keys(json)).toEqual(['enc_payload', 'spns']);
    expect(json.spns).toBe(1);
    expect(openDelivered(json).metadata.hash).toBe(notice.hash);
    expect(req!.body.length).toBeLessThanOrEqual(4096);
  });

  it.each([
    [200, 'delivered'],
    [202, 'delivered'],
    [404, 'unregistered'],
    [410, 'unregistered'],
    [400, 'rejected'],
    [413, 'rejected'],
    [301, 'rejected'],
    [500, 'retry'],
    [503, 'retry'],
  ])('takes %i as %s', async (status, kind) => {
    endpoint.respond = () => ({ status, headers: status === 301 ? { location: `${endpoint.origin}/elsewhere` } : ({} as Record<string, string>) });
    expect((await provider.send(target(), testNotice())).kind).toBe(kind);
    expect(endpoint.received.map((r) => r.path)).toEqual(['/UP?token=0123456789abcdefghij0123456789']); // no redirect followed
  });

  it('retries a 429 after its Retry-After', async () => {
    endpoint.respond = () => ({ status: 429, headers: { 'retry-after': '7' } });
    expect(await provider.send(target(), testNotice())).toMatchObject({ kind: 'retry', retryAfterMs: 7000 });
  });

  it('retries when nothing listens', async () => {
    const dead = provider.target({ endpoint: 'http://127.0.0.1:9/UP?token=0123456789abcdefghij' });
    expect((await provider.send(dead, testNotice())).kind).toBe('retry');
  });
});

describe('UnifiedPush endpoints on the operator network', () => {
  const provider = new UnifiedPushProvider({ allowPrivateAddresses: false, timeoutMs: 2000 });
  afterAll(() => provider.close());

  it.each(['http://127.0.0.1:8080/up', 'https://10.1.2.3/up', 'http://[::1]/up', 'http://localhost/up', 'https://169.254.169.254/latest'])(
    'refuses %s at subscription time',
    (url) => expect(() => provider.target({ endpoint: url })).toThrow(/not a public address/),
  );

  it('refuses at send time an endpoint stored while private addresses were allowed', async () => {
    const permissive = new UnifiedPushProvider({ allowPrivateAddresses: true, timeoutMs: 2000 });
    const t = permissive.target({ endpoint: 'http://127.0.0.1:9/up-0123456789abcdefghij' });
    await permissive.close();
    expect(await provider.send(t, testNotice())).toMatchObject({ kind: 'rejected' });
  });

  it('accepts a public https endpoint and names it by a hash, keeping the URL as service data', () => {
    const t = provider.target({ endpoint: 'https://ntfy.example.org/upAbCdEf0123456789?up=1' });
    expect(t.serviceId).toMatch(/^[0-9a-f]{64}$/);
    expect(t.serviceData!.toString()).toBe('https://ntfy.example.org/upAbCdEf0123456789?up=1');
  });
});
