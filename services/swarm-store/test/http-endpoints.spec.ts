// The HTTP face of a node: content type exactly application/json, t/hf, ping_test, 404 text,
// rate limit (429), long-poll header (410), ops routes.
import { ready } from '@starling/crypto';
import { request } from '@starling/platform';
import { createGrpcClient, HealthService, HealthServingStatus } from '@starling/proto';
import { TestAccount } from './support/accounts';
import { startHttpNode, type HttpNode } from './support/http-node';

beforeAll(() => ready());

describe('HTTP endpoints', () => {
  let node: HttpNode;
  beforeAll(async () => (node = await startHttpNode({ SWARM_STORE_BUCKET_CAPACITY: '40', SWARM_STORE_BUCKET_REFILL: '1' })));
  afterAll(() => node.close());

  it('answers JSON with content type exactly application/json and t/hf', async () => {
    const res = await node.post('/storage_rpc/v1', JSON.stringify({ jsonrpc: '2.0', method: 'info', params: {} }));
    expect(res.status).toBe(200);
    expect(res.contentType).toBe('application/json');
    const body = JSON.parse(res.text);
    expect(body).toMatchObject({ version: [2, 8, 0], hf: [19, 4] });
    expect(Math.abs(body.t - Date.now())).toBeLessThan(60_000);
  });

  it('stores and retrieves over HTTP', async () => {
    const a = new TestAccount();
    const stored = await node.rpc('store', a.storeParams('over http'));
    expect(stored.status).toBe(200);
    const read = await node.rpc('retrieve', a.retrieveParams());
    expect(read.json.messages.map((m: { hash: string }) => m.hash)).toEqual([stored.json.hash]);
  });

  it('get_swarm lists this node with its HTTP port', async () => {
    const res = await node.rpc('get_swarm', { pubkey: new TestAccount().sessionId });
    expect(res.json.swarm).toBe('0000000000000000');
    expect(res.json.snodes).toEqual([expect.objectContaining({ pubkey_ed25519: node.identity.ed25519Hex, port_https: node.httpPort, port: String(node.httpPort) })]);
  });

  it('ping_test answers with the node key header', async () => {
    const res = await request(`${node.url}/ping_test/v1`, { method: 'POST' });
    expect(res.status).toBe(200);
    expect(res.headers['x-oxen-snode-pubkey']).toBe(Buffer.from(node.identity.ed25519Hex, 'hex').toString('base64'));
  });

  it('speaks HTTPS with its own self-signed certificate, and answers get_stats', async () => {
    expect(node.url).toMatch(/^https:/);
    const stats = await request(`${node.url}/get_stats/v1`);
    expect(stats.status).toBe(200);
    expect(JSON.parse(stats.text)).toEqual({ version: '2.8.0' });
  });

  it('unknown paths get a plain 404', async () => {
    const res = await node.post('/nope', '');
    expect(res).toMatchObject({ status: 404, text: 'POST /nope Not Found' });
  });

  it('the long-poll header gets 410', async () => {
    const res = await node.post('/storage_rpc/v1', JSON.stringify({ method: 'info', params: {} }), { 'X-Loki-Long-Poll': 'true' });
    expect(res.status).toBe(410);
  });

  it('serves /healthz, /readyz and /metrics on the ops port, with the domain metrics', async () => {
    expect((await fetch(`${node.opsUrl}/healthz`)).status).toBe(200);
    expect((await fetch(`${node.opsUrl}/readyz`)).status).toBe(200);
    const text = await (await fetch(`${node.opsUrl}/metrics`)).text();
    for (const name of ['swarm_store_rpc_requests_total', 'swarm_store_messages_held', 'swarm_store_bytes_held', 'swarm_store_replication_sends_total', 'swarm_store_swarm_members', 'http_requests_total']) {
      expect(text).toContain(name);
    }
    expect(text).toMatch(/swarm_store_stores_total\{outcome="new"[^}]*\} [1-9]/);
    expect(text).toMatch(/^swarm_store_retrieves_total [1-9]/m);
    // Timed by method and transport; outcomes that did not happen yet are there at 0.
    expect(text).toMatch(/^storage_rpc_duration_seconds_count\{method="store",transport="http"\} [1-9]/m);
    expect(text).toMatch(/^swarm_store_stores_total\{outcome="refused"\} 0$/m);
  });

  it('the gRPC server answers the standard health check and the registry Ping', async () => {
    const health = createGrpcClient(HealthService as any, `127.0.0.1:${node.grpcPort}`);
    try {
      const res = await (health as any).check({ service: 'starling.swarmstore.v1.SwarmStoreService' });
      expect(res.status).toBe(HealthServingStatus.SERVING);
    } finally {
      health.close();
    }
    const { swarmstore } = await import('@starling/proto');
    const client = createGrpcClient(swarmstore.SwarmStoreServiceService, `127.0.0.1:${node.grpcPort}`);
    try {
      expect((await client.ping({})).pubkeyEd25519).toBe(node.identity.ed25519Hex);
    } finally {
      client.close();
    }
  });

  it('rate-limits a client past its burst with 429, without recording the address', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 45; i++) statuses.push((await node.post('/storage_rpc/v1', JSON.stringify({ method: 'info', params: {} }))).status);
    expect(statuses).toContain(429);
    const refused = await node.post('/storage_rpc/v1', '{}');
    expect(refused).toMatchObject({ status: 429, text: 'Too many requests, try again later' });
    const metrics = await (await fetch(`${node.opsUrl}/metrics`)).text();
    expect(metrics).not.toContain('127.0.0.1');
  });
});
