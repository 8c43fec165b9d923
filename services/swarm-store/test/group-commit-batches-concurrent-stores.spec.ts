// Concurrent stores share INSERT statements, and each caller gets its own outcome.
import { ready } from '@starling/crypto';
import { testDatabases } from '@starling/platform';
import { GroupCommitWriter } from '../src/storage/group-commit';
import { MessageStore, type StoredMessage } from '../src/storage/message-store';
import { TestAccount } from './support/accounts';
import { openCore, type CoreHandle } from './support/core';

beforeAll(() => ready());

describe.each(testDatabases())('group commit on $name', (backend) => {
  let node: CoreHandle;
  beforeAll(async () => (node = await openCore(backend, { settings: { groupCommitDelay: 5, groupCommitMaxRows: 50 } })));
  afterAll(() => node.close());

  it('writes 120 concurrent stores in far fewer statements, every one acknowledged and readable', async () => {
    const a = new TestAccount();
    const results = await Promise.all(Array.from({ length: 120 }, (_, i) => node.rpc('store', a.storeParams(`m${i}`))));
    expect(results.every((r) => r.status === 200)).toBe(true);
    const histogram = await node.core.metrics.groupCommitRows.get();
    const statements = histogram.values.find((v) => v.metricName === 'swarm_store_group_commit_rows_count')!.value;
    const rows = histogram.values.find((v) => v.metricName === 'swarm_store_group_commit_rows_sum')!.value;
    expect(rows).toBe(120);
    expect(statements).toBeLessThanOrEqual(12);
    const read = await node.rpc('retrieve', a.retrieveParams({ max_count: 200 }));
    expect(read.json.messages).toHaveLength(120);
  });

  it('a duplicate inside one batch is stored once', async () => {
    const a = new TestAccount();
    const [x, y] = await Promise.all([node.rpc('store', a.storeParams('same')), node.rpc('store', a.storeParams('same'))]);
    expect(x.json.hash).toBe(y.json.hash);
    expect((await node.rpc('retrieve', a.retrieveParams())).json.messages).toHaveLength(1);
  });

  it('stores arriving while commits are in flight queue for the next one; an idle writer commits at once', async () => {
    // The real table, with the first INSERT held back until released.
    const batches: number[] = [];
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const store = new (class extends MessageStore {
      override async insertMany(rows: readonly StoredMessage[], quota?: number) {
        batches.push(rows.length);
        if (batches.length === 1) await held;
        return super.insertMany(rows, quota);
      }
    })(node.db);
    const writer = new GroupCommitWriter(store, { delayMs: 0, concurrency: 1, maxRows: 200, capBytes: 1e9, accountQuotaBytes: 1e9 });
    const a = new TestAccount();
    const message = (i: number): StoredMessage => ({
      owner: Buffer.from(a.sessionId, 'hex'), namespace: 0, hash: `Q${String(i).padStart(42, '0')}`, timestampMs: Date.now(), expiryMs: Date.now() + 60_000, data: Buffer.from(`q${i}`),
    });
    const first = writer.write(message(0));
    await new Promise((r) => setImmediate(r));
    expect(batches).toEqual([1]); // committed without waiting for company
    const queued = Array.from({ length: 30 }, (_, i) => writer.write(message(i + 1)));
    await new Promise((r) => setTimeout(r, 20));
    expect(batches).toEqual([1]); // the commit in flight holds the others back
    release();
    const outcomes = await Promise.all([first, ...queued]);
    expect(outcomes.every((o) => o.already === false)).toBe(true);
    expect(batches).toEqual([1, 30]);
    await writer.close();
  });

  it('close() flushes what is queued', async () => {
    const a = new TestAccount();
    const pending = node.core.writer.write({ owner: Buffer.from(a.sessionId, 'hex'), namespace: 0, hash: 'E'.repeat(43), timestampMs: Date.now(), expiryMs: Date.now() + 60_000, data: Buffer.from('q') });
    await node.core.writer.flush();
    await expect(pending).resolves.toMatchObject({ already: false });
  });
});
