// POST /onion_req/v2 over real HTTP, in front of a stand-in for Fastify: a real router peels a real
// onion layer; only the next hop is in process (it answers as a relay would).
import { createServer, request, Server, ServerResponse } from 'http';
import { AddressInfo } from 'net';
import { buildOnionRequest, generateOnionKeyPair, Identity, identityFromSeed, ready, toHex } from '@starling/crypto';
import { createMetrics, HttpMetrics, SharedState, testSharedStates } from '@starling/platform';
import { AdmissionControl } from '../src/admission/admission';
import { withOnionRoute } from '../src/http/onion-route';
import { HttpProxy } from '../src/onion/http-proxy';
import { OnionRouter } from '../src/onion/onion-router';
import { RelayMetrics } from '../src/relay-metrics';

const MAX_BODY = 64 * 1024;

describe('the onion route on the HTTP edge', () => {
  let server: Server;
  let base: string;
  let state: SharedState;
  let metrics: ReturnType<typeof createMetrics>;
  let guardKeys: Identity;
  let nextRelay: Identity;
  const forwarded: Array<{ to: string; bytes: number }> = [];

  async function listen(capacity: number): Promise<void> {
    state = await testSharedStates()[0].open();
    metrics = createMetrics('entry-relay-test');
    const relay = {
      router: new OnionRouter(
        guardKeys.x25519,
        {
          forward: async (to, blob) => {
            forwarded.push({ to, bytes: blob.length });
            return { status: 200, body: Buffer.from('from the next hop'), contentType: 'text/plain; charset=utf-8', outcome: 'forwarded' };
          },
        },
        new HttpProxy('', 1_000, 1024),
      ),
      admission: new AdmissionControl(state, { capacity, refillPerSecond: 1, maxInFlight: 10 }),
      metrics: new RelayMetrics(metrics, () => 0, () => ({})),
    };
    const fallThrough = (_req: unknown, res: ServerResponse) => res.writeHead(404).end('not the onion route');
    server = createServer(withOnionRoute({ relay, http: new HttpMetrics(metrics), maxBodyBytes: MAX_BODY }, fallThrough));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  const onionRequest = () =>
    buildOnionRequest({
      path: [guardKeys, nextRelay].map((id) => ({ x25519: id.x25519.publicKey, ed25519: id.ed25519.publicKey })),
      destination: { kind: 'server', host: '127.0.0.1', port: 9, protocol: 'http', target: '/oxen/v4/lsrpc', x25519: generateOnionKeyPair().publicKey },
      payload: Buffer.from('hello'),
    });

  const post = (path: string, body: Uint8Array) => fetch(`${base}${path}`, { method: 'POST', body, headers: { 'content-type': 'application/octet-stream' } });

  beforeAll(async () => {
    await ready();
    guardKeys = identityFromSeed(new Uint8Array(32).fill(7));
    nextRelay = identityFromSeed(new Uint8Array(32).fill(8));
  });
  afterEach(async () => {
    forwarded.length = 0;
    await new Promise((resolve) => server.close(resolve));
    await state.close();
  });

  it('peels the layer, forwards it to the next relay and answers with what came back', async () => {
    await listen(100);
    const res = await post('/onion_req/v2', onionRequest().body);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('from the next hop');
    expect(forwarded).toEqual([{ to: toHex(nextRelay.ed25519.publicKey), bytes: expect.any(Number) }]);
    // A query string does not change the route; the RED metrics name the route template.
    expect((await post('/onion_req/v2?x=1', onionRequest().body)).status).toBe(200);
    expect(await metrics.text()).toMatch(/http_requests_total\{[^}]*route="\/onion_req\/v2"[^}]*status="200"[^}]*\} 2/);
  });

  it('answers a changed byte with 400 "Invalid ciphertext" in plain text', async () => {
    await listen(100);
    const body = Buffer.from(onionRequest().body);
    body[10] ^= 0x01;
    const res = await post('/onion_req/v2', body);
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(await res.text()).toBe('Invalid ciphertext');
    expect(forwarded).toEqual([]);
  });

  it('refuses a body over the limit with 413 without peeling it', async () => {
    await listen(100);
    const res = await post('/onion_req/v2', Buffer.alloc(MAX_BODY + 1));
    expect(res.status).toBe(413);
    // Without a Content-Length, the body is counted as it arrives.
    const chunked = await new Promise<number>((resolve, reject) => {
      const req = request(`${base}/onion_req/v2`, { method: 'POST' }, (r) => resolve(r.statusCode ?? 0));
      req.on('error', reject);
      req.write(Buffer.alloc(MAX_BODY / 2 + 1));
      req.end(Buffer.alloc(MAX_BODY / 2 + 1));
    });
    expect(chunked).toBe(413);
    expect(forwarded).toEqual([]);
  });

  it('answers 429 with a retry time once the client is over its rate', async () => {
    await listen(1);
    expect((await post('/onion_req/v2', onionRequest().body)).status).toBe(200);
    const refused = await post('/onion_req/v2', onionRequest().body);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(forwarded).toHaveLength(1);
  });

  it('hands every other request to the next listener', async () => {
    await listen(100);
    expect((await fetch(`${base}/onion_req/v2`)).status).toBe(404);
    expect((await post('/onion_req/v2/', Buffer.from('x'))).status).toBe(404);
    expect((await post('/storage_rpc/v1', Buffer.from('{}'))).status).toBe(404);
    expect(forwarded).toEqual([]);
  });
});
