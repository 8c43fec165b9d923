// POST /onion_req/v2 over real HTTP on a real edge: a real hop peels a real onion layer; only the
// next hop is in process (it answers as a node would).
import { buildOnionRequest, generateOnionKeyPair, Identity, identityFromSeed, ready, toHex } from '@starling/crypto';
import { createLogger, createMetrics, Edge, HttpMetrics, SharedState, testSharedStates, textReply } from '@starling/platform';
import { AdmissionControl } from '../src/admission/admission';
import { nodeNotFound, nodeRoutes } from '../src/http/node-routes';
import { HopMetrics } from '../src/hop-metrics';
import { HttpProxy } from '../src/onion/http-proxy';
import { OnionHop } from '../src/onion/onion-hop';

const MAX_BODY = 64 * 1024;

describe('the onion route on the edge', () => {
  let edge: Edge;
  let base: string;
  let state: SharedState;
  let metrics: ReturnType<typeof createMetrics>;
  let guardKeys: Identity;
  let nextNode: Identity;
  const forwarded: Array<{ to: string; bytes: number }> = [];

  async function listen(capacity: number): Promise<void> {
    state = await testSharedStates()[0]!.open();
    metrics = createMetrics('service-node-test');
    const hop = new OnionHop(
      guardKeys.x25519,
      {
        forward: async (to, blob) => {
          forwarded.push({ to, bytes: blob.length });
          return { ...textReply(200, 'from the next hop'), outcome: 'forwarded' };
        },
      },
      new HttpProxy('', 1_000, 1024),
      { deliver: () => Promise.reject(new Error('not addressed here')) },
    );
    const admission = new AdmissionControl(state, { capacity, refillPerSecond: 1, maxInFlight: 10 });
    const rpc = { handleBody: async () => ({ status: 200, body: 'rpc' }) };
    edge = new Edge({ host: '127.0.0.1', port: 0, maxBodyBytes: 1024, notFound: nodeNotFound, methodNotAllowed: nodeNotFound }, createLogger('test', { level: 'silent' }), new HttpMetrics(metrics));
    edge.route(...nodeRoutes({ hop, rpc, admission, metrics: new HopMetrics(metrics, () => 0, () => ({})), pubkeyEd25519: toHex(guardKeys.ed25519.publicKey), maxOnionBytes: MAX_BODY, version: '2.8.0' }));
    await edge.listen();
    base = edge.url;
  }

  const onionRequest = () =>
    buildOnionRequest({
      path: [guardKeys, nextNode].map((id) => ({ x25519: id.x25519.publicKey, ed25519: id.ed25519.publicKey })),
      destination: { kind: 'server', host: '127.0.0.1', port: 9, protocol: 'http', target: '/oxen/v4/lsrpc', x25519: generateOnionKeyPair().publicKey },
      payload: Buffer.from('hello'),
    });

  const post = (path: string, body: Uint8Array) => fetch(`${base}${path}`, { method: 'POST', body, headers: { 'content-type': 'application/octet-stream' } });

  beforeAll(async () => {
    await ready();
    guardKeys = identityFromSeed(new Uint8Array(32).fill(7));
    nextNode = identityFromSeed(new Uint8Array(32).fill(8));
  });
  afterEach(async () => {
    forwarded.length = 0;
    await edge.close(0);
    await state.close();
  });

  it('peels the layer, forwards it to the next node and answers with what came back', async () => {
    await listen(100);
    const res = await post('/onion_req/v2', onionRequest().body);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('from the next hop');
    expect(forwarded).toEqual([{ to: toHex(nextNode.ed25519.publicKey), bytes: expect.any(Number) }]);
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
    expect(forwarded).toEqual([]);
  });

  it('answers 429 with a retry time once the client is over its rate, on onion and storage RPC alike', async () => {
    await listen(1);
    expect((await post('/onion_req/v2', onionRequest().body)).status).toBe(200);
    const refused = await post('/onion_req/v2', onionRequest().body);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await post('/storage_rpc/v1', Buffer.from('{}'))).status).toBe(429);
    expect(forwarded).toHaveLength(1);
    expect(await metrics.text()).toMatch(/relay_admission_rejections_total\{[^}]*reason="rate_limited"[^}]*\} 2/);
  });

  it('answers ping with the node key, get_stats with the version, and other paths and methods as upstream does', async () => {
    await listen(100);
    const ping = await post('/ping_test/v1', Buffer.alloc(0));
    expect(ping.status).toBe(200);
    expect(ping.headers.get('x-oxen-snode-pubkey')).toBe(Buffer.from(guardKeys.ed25519.publicKey).toString('base64'));
    expect(await (await post('/storage_rpc/v1', Buffer.from('{}'))).text()).toBe('rpc');
    const stats = await fetch(`${base}/get_stats/v1`);
    expect(stats.headers.get('content-type')).toBe('application/json');
    expect(await stats.json()).toEqual({ version: '2.8.0' });
    const longPoll = await fetch(`${base}/storage_rpc/v1`, { method: 'POST', body: '{}', headers: { 'x-loki-long-poll': 'true' } });
    expect(longPoll.status).toBe(410);
    expect(await (await fetch(`${base}/onion_req/v2`)).text()).toBe('GET /onion_req/v2 Not Found');
    const unknown = await post('/onion_req/v2/', Buffer.from('x'));
    expect(unknown.status).toBe(404);
    expect(await unknown.text()).toBe('POST /onion_req/v2/ Not Found');
    expect(forwarded).toEqual([]);
  });
});
