// The per-account quota (413) and the node size cap (507) answer with clear errors, and nothing
// is written when they refuse.
import { ready } from '@starling/crypto';
import { testDatabases } from '@starling/platform';
import { TestAccount } from './support/accounts';
import { openCore } from './support/core';

beforeAll(() => ready());

describe.each(testDatabases())('quotas on $name', (backend) => {
  it('an account over its quota gets 413 naming the quota', async () => {
    const node = await openCore(backend, { settings: { accountQuotaBytes: 25_000 } });
    try {
      const a = new TestAccount();
      expect((await node.rpc('store', a.storeParams(Buffer.alloc(10_000, 1)))).status).toBe(200);
      expect((await node.rpc('store', a.storeParams(Buffer.alloc(10_000, 2)))).status).toBe(200);
      const over = await node.rpc('store', a.storeParams(Buffer.alloc(10_000, 3)));
      expect(over.status).toBe(413);
      expect(over.body).toMatch(/account storage quota of 25000 bytes reached/);
      // Another account is not affected.
      expect((await node.rpc('store', new TestAccount().storeParams(Buffer.alloc(10_000, 3)))).status).toBe(200);
      expect((await node.rpc('retrieve', a.retrieveParams())).json.messages).toHaveLength(2);
    } finally {
      await node.close();
    }
  });

  it('a full node gets 507', async () => {
    const node = await openCore(backend, { settings: { maxStorageBytes: 15_000 } });
    try {
      expect((await node.rpc('store', new TestAccount().storeParams(Buffer.alloc(10_000, 1)))).status).toBe(200);
      const full = await node.rpc('store', new TestAccount().storeParams(Buffer.alloc(10_000, 2)));
      expect(full.status).toBe(507);
      expect(full.body).toMatch(/this storage node is full/);
    } finally {
      await node.close();
    }
  });
});
