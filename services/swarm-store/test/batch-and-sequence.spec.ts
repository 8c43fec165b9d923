import { ready } from '@starling/crypto';
import { testDatabases } from '@starling/platform';
import { TestAccount } from './support/accounts';
import { openCore, type CoreHandle } from './support/core';

beforeAll(() => ready());

describe.each(testDatabases())('batch and sequence on $name', (backend) => {
  let node: CoreHandle;
  beforeAll(async () => (node = await openCore(backend)));
  afterAll(() => node.close());

  it('batch answers every subrequest in order, each with its own code', async () => {
    const a = new TestAccount();
    const res = await node.rpc('batch', {
      requests: [
        { method: 'store', params: a.storeParams('b1') },
        { method: 'retrieve', params: { pubkey: a.sessionId, timestamp: Date.now() } }, // unsigned -> 401
        { method: 'info', params: {} },
        { method: 'nope', params: {} },
      ],
    });
    expect(res.status).toBe(200);
    expect(res.json.results.map((r: { code: number }) => r.code)).toEqual([200, 401, 200, 400]);
    expect(res.json.results[3].body).toBe('no method nope');
  });

  it('sequence stops after the first failure', async () => {
    const a = new TestAccount();
    const res = await node.rpc('sequence', {
      requests: [
        { method: 'store', params: a.storeParams('s1') },
        { method: 'store', params: { ...a.storeParams('s2'), ttl: 5 } },
        { method: 'store', params: a.storeParams('s3') },
      ],
    });
    expect(res.json.results.map((r: { code: number }) => r.code)).toEqual([200, 403]);
    expect((await node.rpc('retrieve', a.retrieveParams())).json.messages).toHaveLength(1);
  });

  it.each([
    ['nested batch', { requests: [{ method: 'batch', params: { requests: [] } }] }],
    ['an empty list', { requests: [] }],
    ['21 subrequests', { requests: Array.from({ length: 21 }, () => ({ method: 'info', params: {} })) }],
    ['a non-object subrequest', { requests: [42] }],
  ])('%s is a 400', async (_what, params) => {
    const res = await node.rpc('batch', params);
    expect(res.status).toBe(400);
    expect(res.body).toMatch(/^invalid request: /);
  });
});
