// delete, delete_all, delete_before: signatures, per-member signed results, status codes.
import { ready, verifyEd25519 } from '@starling/crypto';
import { testDatabases } from '@starling/platform';
import { TestAccount } from './support/accounts';
import { openCore, type CoreHandle } from './support/core';

beforeAll(() => ready());

describe.each(testDatabases())('deletes on $name', (backend) => {
  let node: CoreHandle;
  beforeAll(async () => (node = await openCore(backend)));
  afterAll(() => node.close());

  const self = () => node.core.identity.ed25519Hex;
  const nodeSigOk = (sig: string, text: string) => verifyEd25519(Buffer.from(sig, 'base64'), Buffer.from(text), Buffer.from(self(), 'hex'));
  const storeAll = async (a: TestAccount, texts: string[], ns = 0) => {
    const hashes: string[] = [];
    for (const t of texts) hashes.push((await node.rpc('store', a.storeParams(t, { namespace: ns }))).json.hash);
    return hashes;
  };
  const count = async (a: TestAccount, ns = 0) => (await node.rpc('retrieve', a.retrieveParams({ namespace: ns }))).json.messages.length;

  it('delete removes named messages and signs PUBKEY ‖ requested ‖ deleted', async () => {
    const a = new TestAccount();
    const [h1, h2] = await storeAll(a, ['a', 'b', 'c']);
    const missing = 'B'.repeat(43);
    const messages = [h2!, missing, h1!];
    const res = await node.rpc('delete', { pubkey: a.sessionId, messages, ...a.auth(`delete${messages.join('')}`) });
    expect(res.status).toBe(200);
    const own = res.json.swarm[self()];
    expect(own.deleted).toEqual([h1, h2].sort());
    expect(nodeSigOk(own.signature, a.sessionId + messages.join('') + [h1, h2].sort().join(''))).toBe(true);
    expect(await count(a)).toBe(1);
  });

  it('delete with required:true answers 404 when nothing was deleted', async () => {
    const a = new TestAccount();
    const messages = ['C'.repeat(43)];
    const res = await node.rpc('delete', { pubkey: a.sessionId, messages, required: true, ...a.auth(`delete${messages.join('')}`) });
    expect(res.status).toBe(404);
  });

  it('delete cannot touch another account\'s message even with a valid signature of its own', async () => {
    const victim = new TestAccount();
    const attacker = new TestAccount();
    const [h] = await storeAll(victim, ['precious']);
    const res = await node.rpc('delete', { pubkey: attacker.sessionId, messages: [h], ...attacker.auth(`delete${h}`) });
    expect(res.json.swarm[self()].deleted).toEqual([]);
    expect(await count(victim)).toBe(1);
  });

  it('delete without a signature is 401; with an empty list 400', async () => {
    const a = new TestAccount();
    expect((await node.rpc('delete', { pubkey: a.sessionId, messages: ['D'.repeat(43)] })).status).toBe(401);
    expect((await node.rpc('delete', { pubkey: a.sessionId, messages: [], ...a.auth('delete') })).status).toBe(400);
  });

  it('delete_all of one namespace leaves the others; "all" reports per namespace', async () => {
    const a = new TestAccount();
    const inbox = await storeAll(a, ['x', 'y']);
    const config = await storeAll(a, ['cfg'], 2);
    const ts = Date.now();
    const one = await node.rpc('delete_all', { pubkey: a.sessionId, timestamp: ts, ...a.auth(`delete_all${ts}`) });
    expect(one.json.swarm[self()].deleted).toEqual([...inbox].sort());
    expect(nodeSigOk(one.json.swarm[self()].signature, a.sessionId + ts + [...inbox].sort().join(''))).toBe(true);
    expect(await count(a, 2)).toBe(1);
    await storeAll(a, ['z']);
    const all = await node.rpc('delete_all', { pubkey: a.sessionId, namespace: 'all', timestamp: ts, ...a.auth(`delete_allall${ts}`) });
    expect(Object.keys(all.json.swarm[self()].deleted).sort()).toEqual(['0', '2']);
    expect(all.json.swarm[self()].deleted['2']).toEqual(config);
  });

  it('delete_all outside ±60 s is 406', async () => {
    const a = new TestAccount();
    const ts = Date.now() - 61_000;
    expect((await node.rpc('delete_all', { pubkey: a.sessionId, timestamp: ts, ...a.auth(`delete_all${ts}`) })).status).toBe(406);
  });

  it('delete_before removes messages with timestamp <= before; a future before is 401', async () => {
    const a = new TestAccount();
    const now = Date.now();
    await node.rpc('store', a.storeParams('old', { timestamp: now - 5_000 }));
    await node.rpc('store', a.storeParams('new', { timestamp: now }));
    const before = now - 1_000;
    const res = await node.rpc('delete_before', { pubkey: a.sessionId, before, ...a.auth(`delete_before${before}`) });
    expect(res.json.swarm[self()].deleted).toHaveLength(1);
    expect(await count(a)).toBe(1);
    const future = now + 120_000;
    expect((await node.rpc('delete_before', { pubkey: a.sessionId, before: future, ...a.auth(`delete_before${future}`) })).status).toBe(401);
  });
});
