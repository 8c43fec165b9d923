import { ready } from '@starling/crypto';
import { testDatabases } from '@starling/platform';
import { retrieveBudget } from '../src/retrieve/retrieve.handler';
import { TestAccount } from './support/accounts';
import { openCore, type CoreHandle } from './support/core';

beforeAll(() => ready());

it('reads max_count/max_size as upstream does', () => {
  expect(retrieveBudget(undefined, undefined)).toEqual({ maxCount: undefined, maxSize: 1_560_000 });
  expect(retrieveBudget(0, 0)).toEqual({ maxCount: undefined, maxSize: 1_560_000 });
  expect(retrieveBudget(undefined, -1)).toEqual({ maxCount: undefined, maxSize: 7_800_000 });
  expect(retrieveBudget(undefined, -4)).toEqual({ maxCount: undefined, maxSize: 1_950_000 });
  expect(retrieveBudget(undefined, 99_000_000)).toEqual({ maxCount: undefined, maxSize: 7_800_000 });
  expect(retrieveBudget(3, undefined)).toEqual({ maxCount: 3, maxSize: 7_800_000 });
});

describe.each(testDatabases())('retrieve paging on $name', (backend) => {
  let node: CoreHandle;
  let carol: TestAccount;
  const texts = Array.from({ length: 7 }, (_, i) => `message ${i}`);
  beforeAll(async () => {
    node = await openCore(backend);
    carol = new TestAccount();
    for (const t of texts) await node.rpc('store', carol.storeParams(t));
  });
  afterAll(() => node.close());

  const read = async (opts: Parameters<TestAccount['retrieveParams']>[0]) => {
    const res = await node.rpc('retrieve', carol.retrieveParams(opts));
    expect(res.status).toBe(200);
    return { texts: res.json.messages.map((m: { data: string }) => Buffer.from(m.data, 'base64').toString()), more: res.json.more, last: res.json.messages.at(-1)?.hash };
  };

  it('pages by last_hash with max_count and says when there is more', async () => {
    const p1 = await read({ max_count: 3 });
    expect(p1).toMatchObject({ texts: texts.slice(0, 3), more: true });
    const p2 = await read({ max_count: 3, last_hash: p1.last });
    expect(p2).toMatchObject({ texts: texts.slice(3, 6), more: true });
    const p3 = await read({ max_count: 3, last_hash: p2.last });
    expect(p3).toMatchObject({ texts: texts.slice(6), more: false });
  });

  it('max_size limits by the per-message cost, and always returns at least one message', async () => {
    // each message costs 100 + 43 + 9 * 4/3 = 155 bytes
    expect((await read({ max_size: 320 })).texts).toHaveLength(2);
    expect(await read({ max_size: 1 })).toMatchObject({ texts: [texts[0]], more: true });
  });

  it('a negative max_size is a fraction of the 7.8 MB budget', async () => {
    expect(await read({ max_size: -10 })).toMatchObject({ texts, more: false });
  });

  it('responses carry the field name "expiration", not "expiry"', async () => {
    const res = await node.rpc('retrieve', carol.retrieveParams({ max_count: 1 }));
    expect(Object.keys(res.json.messages[0]).sort()).toEqual(['data', 'expiration', 'hash', 'timestamp']);
  });
});
