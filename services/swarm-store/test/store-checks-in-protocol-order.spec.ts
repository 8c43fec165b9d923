// store's checks and their status codes, in the order storage-onion 1.6 gives them:
// parse (400/413) -> wrong swarm (421) -> TTL (403) -> clock (406) -> signature (401/406/401).
import { ready } from '@starling/crypto';
import { testDatabases } from '@starling/platform';
import { TestAccount } from './support/accounts';
import { openCore, type CoreHandle } from './support/core';
import { accountWhere, twoSwarms } from './support/views';

beforeAll(() => ready());

describe.each(testDatabases())('store checks on $name', (backend) => {
  let node: CoreHandle;
  let mine: TestAccount;
  let foreign: TestAccount;
  beforeAll(async () => {
    node = await openCore(backend, { view: twoSwarms });
    mine = accountWhere(node.core.currentView(), true);
    foreign = accountWhere(node.core.currentView(), false);
  });
  afterAll(() => node.close());

  const store = (params: Record<string, unknown>) => node.rpc('store', params);

  it('accepts a valid public-inbox store', async () => {
    expect((await store(mine.storeParams('ok'))).status).toBe(200);
  });

  it('421 names the right swarm and its members, before any other check', async () => {
    const res = await store({ ...foreign.storeParams('x'), ttl: 1 }); // bad TTL too: 421 comes first
    expect(res.status).toBe(421);
    expect(res.json.swarm).toBe('8000000000000000');
    expect(res.json.snodes).toHaveLength(2);
    expect(res.json.snodes[0]).toMatchObject({ ip: '127.0.0.1', port: expect.any(String), port_https: expect.any(Number), pubkey_ed25519: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(res.json.snodes[0].address).toMatch(/^[ybndrfg8ejkmcpqxot1uwisza345h769]{52}\.snode$/);
    expect(res.json.t).toEqual(expect.any(Number));
    expect(res.json.hf).toEqual([19, 4]);
  });

  it.each([
    ['a TTL under 10 s', { ttl: 9_999 }],
    ['a TTL over 14 days in a public inbox', { ttl: 14 * 86_400_000 + 1 }],
  ])('403 for %s', async (_what, change) => {
    const res = await store({ ...mine.storeParams('x'), ...change });
    expect(res).toMatchObject({ status: 403, body: 'Provided expiry/TTL is not valid.' });
  });

  it('a private namespace allows up to 30 days', async () => {
    expect((await store(mine.storeParams('long', { namespace: 3, ttl: 30 * 86_400_000 }))).status).toBe(200);
    expect((await store(mine.storeParams('longer', { namespace: 3, ttl: 30 * 86_400_000 + 1 }))).status).toBe(403);
  });

  it('406 for a timestamp more than 10 s ahead, or an expiry more than 10 s past', async () => {
    expect((await store(mine.storeParams('x', { timestamp: Date.now() + 20_000 }))).status).toBe(406);
    expect((await store(mine.storeParams('x', { timestamp: Date.now() - 120_000, ttl: 60_000 }))).status).toBe(406);
  });

  it('401 when a private namespace store has no signature', async () => {
    const { signature: _s, pubkey_ed25519: _k, ...unsigned } = mine.storeParams('x', { namespace: 5 });
    expect(await store(unsigned)).toMatchObject({ status: 401, body: 'store: signature required to store to namespace 5' });
  });

  it('406 when sig_timestamp is more than 60 s off', async () => {
    const ts = Date.now() - 61_000;
    const params = { ...mine.storeParams('x', { namespace: 5 }), sig_timestamp: ts, ...mine.auth(`store5${ts}`) };
    expect((await store(params)).status).toBe(406);
  });

  it('401 for a signature by another key, or over another namespace', async () => {
    const other = new TestAccount();
    const ts = Date.now();
    const wrongKey = { ...mine.storeParams('x', { namespace: 5, timestamp: ts }), ...other.auth(`store5${ts}`) };
    expect((await store(wrongKey)).status).toBe(401); // pubkey_ed25519 does not convert to the account key
    const wrongNs = { ...mine.storeParams('x', { namespace: 5, timestamp: ts }), signature: mine.sign(`store6${ts}`) };
    expect(await store(wrongNs)).toMatchObject({ status: 401, body: 'store signature verification failed' });
  });

  it('413 for data over 76,800 bytes; exactly 76,800 is fine', async () => {
    expect((await store(mine.storeParams(Buffer.alloc(76_800, 1)))).status).toBe(200);
    const res = await store(mine.storeParams(Buffer.alloc(76_801, 1)));
    expect(res).toMatchObject({ status: 413, body: 'Message body exceeds maximum allowed length of 76800' });
  });

  it.each([
    ['no pubkey', { pubkey: undefined }, 'invalid request: missing required field "pubkey"'],
    ['a 64-char pubkey', { pubkey: 'ab'.repeat(32) }, 'invalid request: "pubkey" must be 66 hex characters (netid byte + 32-byte key)'],
    ['ttl and expiry', { expiry: Date.now() + 60_000 }, 'invalid request: give either "ttl" or "expiry", not both'],
    ['a timestamp under 1e9 ms (1,000,000 s)', { timestamp: 999_999_999 }, 'invalid request: "timestamp" must be in milliseconds'],
    ['a namespace out of int16', { namespace: 40_000 }, 'invalid request: "namespace" must be an integer in [-32768, 32767]'],
    ['data that is not base64', { data: '!!!!' }, 'invalid request: "data" is not valid base64'],
    ['pubkey_ed25519 on a 03 account', { pubkey: '03' + 'ab'.repeat(32), pubkey_ed25519: 'ab'.repeat(32) }, 'pubkey_ed25519 is only permitted for 05[...] pubkeys'],
  ])('400 for %s', async (_what, change, message) => {
    const res = await store({ ...mine.storeParams('x'), ...change });
    expect(res).toMatchObject({ status: 400, body: message });
  });

  it('accepts the legacy string forms of timestamp and ttl and the pubKey alias', async () => {
    const { pubkey, timestamp, ttl, ...rest } = mine.storeParams('legacy') as { pubkey: string; timestamp: number; ttl: number };
    const res = await store({ ...rest, pubKey: pubkey, timestamp: String(timestamp), ttl: String(ttl) });
    expect(res.status).toBe(200);
  });
});
