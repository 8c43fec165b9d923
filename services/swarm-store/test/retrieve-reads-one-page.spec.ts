// A retrieve costs the database one page, however much the account holds: message bodies are read
// only for the messages that fit the byte budget, and for the one after them.
import { ready } from '@starling/crypto';
import { testDatabases, type Database } from '@starling/platform';
import { MessageStore } from '../src/storage/message-store';
import { TestAccount } from './support/accounts';
import { openCore, type CoreHandle } from './support/core';

beforeAll(() => ready());

describe.each(testDatabases())('retrieve of a large account on $name', (backend) => {
  let node: CoreHandle;
  let dave: TestAccount;
  beforeAll(async () => {
    node = await openCore(backend);
    dave = new TestAccount();
    // 40 messages of 3,000 bytes: each costs 143 + 4,000 = 4,143 of a retrieve's budget.
    for (let i = 0; i < 40; i++) await node.rpc('store', dave.storeParams(`${i}`.padEnd(3_000, '.')));
  });
  afterAll(() => node.close());

  it('reads the bodies of the messages that fit and of one more, not of all 40', async () => {
    const rowsRead: number[] = [];
    const counting: Database = { ...node.db, query: async (...args: Parameters<Database['query']>) => {
      const res = await node.db.query(...args);
      rowsRead.push(res.rows.length);
      return res;
    } } as Database;
    const page = await new MessageStore(counting).retrieve(Buffer.from(dave.sessionId, 'hex'), 0, undefined, undefined, 10 * 4_143, Date.now());
    expect(page.messages).toHaveLength(10);
    expect(page.more).toBe(true);
    expect(rowsRead).toEqual([11]);
  });
});
