import { ready } from '@starling/crypto';
import { testDatabases } from '@starling/platform';
import { TestAccount } from './support/accounts';
import { openCore, type CoreHandle } from './support/core';

beforeAll(() => ready());

describe.each(testDatabases())('retrieve with an unknown last_hash on $name', (backend) => {
  let node: CoreHandle;
  beforeAll(async () => (node = await openCore(backend)));
  afterAll(() => node.close());

  it('restarts from the oldest message', async () => {
    const bob = new TestAccount();
    for (const text of ['one', 'two', 'three']) expect((await node.rpc('store', bob.storeParams(text))).status).toBe(200);
    const unknown = 'A'.repeat(43);
    const res = await node.rpc('retrieve', bob.retrieveParams({ last_hash: unknown }));
    expect(res.status).toBe(200);
    expect(res.json.messages.map((m: { data: string }) => Buffer.from(m.data, 'base64').toString())).toEqual(['one', 'two', 'three']);
  });

  it('a last_hash of another account restarts too (hashes are scoped to the account)', async () => {
    const a = new TestAccount();
    const b = new TestAccount();
    const other = await node.rpc('store', a.storeParams('theirs'));
    await node.rpc('store', b.storeParams('mine'));
    const res = await node.rpc('retrieve', b.retrieveParams({ last_hash: other.json.hash }));
    expect(res.json.messages).toHaveLength(1);
  });

  it('an empty last_hash counts as absent; a malformed one is a 400', async () => {
    const c = new TestAccount();
    await node.rpc('store', c.storeParams('x'));
    expect((await node.rpc('retrieve', c.retrieveParams({ last_hash: '' }))).json.messages).toHaveLength(1);
    const bad = await node.rpc('retrieve', c.retrieveParams({ last_hash: 'short' }));
    expect(bad.status).toBe(400);
    expect(bad.body).toBe('invalid request: Invalid last_hash: expected base64 (43 chars)');
  });
});
