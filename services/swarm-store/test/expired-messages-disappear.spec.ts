// Expired messages are never served (filtered on read) and are removed by the sweep.
import { ready } from '@starling/crypto';
import { eventually, testDatabases } from '@starling/platform';
import { TestAccount } from './support/accounts';
import { openCore, type CoreHandle } from './support/core';

beforeAll(() => ready());

describe.each(testDatabases())('expiry on $name', (backend) => {
  let node: CoreHandle;
  beforeAll(async () => {
    // The sweep is one of the node's background jobs: it runs without being asked.
    node = await openCore(backend, { settings: { expirySweepInterval: 500 } });
  });
  afterAll(() => node.close());

  it('a message is gone from retrieve once its expiry passes, and the sweep deletes the row', async () => {
    const a = new TestAccount();
    const res = await node.rpc('store', a.storeParams('short-lived', { ttl: 10_000 }));
    expect(res.status).toBe(200);
    const hash = res.json.hash as string;
    const held = async () => (await node.db.query('SELECT 1 FROM messages WHERE hash = $1', [hash])).rowCount;
    expect(await held()).toBe(1);
    // Ask as if 11 s had passed: filtered on read even before the sweep ran.
    const later = Date.now() + 11_000;
    const read = await node.rpc('retrieve', a.retrieveParams({ timestamp: later }), { nowMs: later });
    expect(read.json.messages).toEqual([]);
    await eventually(async () => expect(await held()).toBe(0), 15_000);
  });
});
