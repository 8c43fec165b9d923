// Replication between real gRPC servers: fan-out with signed per-member results, the store
// quorum, catch-up of a member that was down, a joining member receiving the swarm's data with
// namespaces, and hand-over to a new swarm followed by the grace-period drop.
import { ready, verifyEd25519 } from '@starling/crypto';
import { eventually } from '@starling/platform';
import { TestAccount } from './support/accounts';
import { applyMap, holds, startClusterNode, type ClusterNode } from './support/cluster';

beforeAll(() => ready());

describe('a three-member swarm', () => {
  let a: ClusterNode, b: ClusterNode, c: ClusterNode;
  beforeAll(async () => {
    [a, b, c] = await Promise.all([startClusterNode(), startClusterNode(), startClusterNode()]);
    await applyMap([a, b, c], new Map([[0n, [a, b, c]]]));
  });
  afterAll(() => Promise.all([a, b, c].map((n) => n.close())));

  it('a store through one member is held by all, with each member\'s signature', async () => {
    const alice = new TestAccount();
    const res = await b.rpc('store', alice.storeParams('fan out'));
    expect(res.status).toBe(200);
    const hash = res.json.hash;
    expect(Object.keys(res.json.swarm).sort()).toEqual([a, b, c].map((n) => n.core.identity.ed25519Hex).sort());
    for (const [key, entry] of Object.entries<any>(res.json.swarm)) {
      expect(entry.hash).toBe(hash);
      expect(verifyEd25519(Buffer.from(entry.signature, 'base64'), Buffer.from(hash), Buffer.from(key, 'hex'))).toBe(true);
    }
    for (const n of [a, b, c]) expect(await holds(n, hash)).toBeDefined();
    for (const n of [a, b, c]) expect((await n.rpc('retrieve', alice.retrieveParams())).json.messages).toHaveLength(1);
  });

  it('a member that was down catches up on stores and deletes through the retry queue', async () => {
    const alice = new TestAccount();
    const keep = await a.rpc('store', alice.storeParams('before'));
    await c.takeDown();
    const stored = await a.rpc('store', alice.storeParams('while c was down', { namespace: 0 }));
    expect(stored.status).toBe(200); // two of three hold it
    expect(stored.json.swarm[c.core.identity.ed25519Hex]).toMatchObject({ failed: true });
    const del = await a.rpc('delete', { pubkey: alice.sessionId, messages: [keep.json.hash], ...alice.auth(`delete${keep.json.hash}`) });
    expect(del.status).toBe(200);
    expect(await holds(c, stored.json.hash)).toBeUndefined();
    await c.bringUp();
    await eventually(async () => {
      expect(await holds(c, stored.json.hash)).toBeDefined();
      expect(await holds(c, keep.json.hash)).toBeUndefined();
    }, 20_000);
  });

  it('without a second member holding it, a store is not acknowledged', async () => {
    await b.takeDown();
    await c.takeDown();
    try {
      const res = await a.rpc('store', new TestAccount().storeParams('alone'));
      expect(res.status).toBe(500);
      expect(res.body).toMatch(/1 of 2 required swarm members/);
    } finally {
      await b.bringUp();
      await c.bringUp();
    }
  });
});

describe('swarm changes', () => {
  let nodes: ClusterNode[];
  beforeAll(async () => {
    nodes = await Promise.all(Array.from({ length: 5 }, () => startClusterNode({ handoverGrace: 1_000 })));
  });
  afterAll(() => Promise.all(nodes.map((n) => n.close())));

  it('a joining member receives every message of the swarm with its namespace; accounts that move are handed over and later dropped', async () => {
    const [a, b, c, d, e] = nodes as [ClusterNode, ClusterNode, ClusterNode, ClusterNode, ClusterNode];
    await applyMap(nodes, new Map([[0n, [a, b]]]));
    const accounts = Array.from({ length: 12 }, () => new TestAccount());
    const stored: { hash: string; namespace: number; account: TestAccount }[] = [];
    for (const [i, acc] of accounts.entries()) {
      const namespace = i % 3 === 0 ? 0 : i % 3 === 1 ? 3 : -21;
      const res = await a.rpc('store', acc.storeParams(`m${i}`, { namespace }));
      expect(res.status).toBe(200);
      stored.push({ hash: res.json.hash, namespace, account: acc });
    }

    // c joins swarm 0: it must receive everything, namespaces intact.
    await applyMap(nodes, new Map([[0n, [a, b, c]]]));
    await eventually(async () => {
      for (const s of stored) expect(await holds(c, s.hash)).toEqual({ namespace: s.namespace });
    }, 20_000);

    // A second swarm (2^63) with d and e appears: accounts closer to it move there.
    const far = 1n << 63n;
    await applyMap(nodes, new Map([[0n, [a, b, c]], [far, [d, e]]]));
    const view = a.core.currentView();
    const moving = stored.filter((s) => view.swarmOf(Buffer.from(s.account.sessionId, 'hex')) === far);
    const staying = stored.filter((s) => !moving.includes(s));
    expect(moving.length).toBeGreaterThan(0);
    expect(staying.length).toBeGreaterThan(0);
    await eventually(async () => {
      for (const s of moving) for (const n of [d, e]) expect(await holds(n, s.hash)).toEqual({ namespace: s.namespace });
    }, 20_000);
    // The new owners serve them; the old swarm answers 421 pointing there.
    const sample = moving[0]!;
    const read = await d.rpc('retrieve', sample.account.retrieveParams({ namespace: sample.namespace }));
    expect(read.json.messages.map((m: { hash: string }) => m.hash)).toContain(sample.hash);
    expect((await a.rpc('retrieve', sample.account.retrieveParams({ namespace: sample.namespace }))).status).toBe(421);
    // After the grace period the old swarm drops what it handed over, and keeps the rest.
    await eventually(async () => {
      for (const s of moving) for (const n of [a, b, c]) expect(await holds(n, s.hash)).toBeUndefined();
    }, 20_000);
    for (const s of staying) expect(await holds(a, s.hash)).toBeDefined();
  });
});
