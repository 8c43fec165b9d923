import { ready } from '@starling/crypto';
import { testDatabases } from '@starling/platform';
import { TestAccount } from './support/accounts';
import { openCore, type CoreHandle } from './support/core';

beforeAll(() => ready());

describe.each(testDatabases())('a duplicate store on $name', (backend) => {
  let node: CoreHandle;
  beforeAll(async () => (node = await openCore(backend)));
  afterAll(() => node.close());

  it('keeps one message, reports already:true and extends the expiry to the later one', async () => {
    const alice = new TestAccount();
    const now = Date.now();
    const first = await node.rpc('store', alice.storeParams('hi', { timestamp: now, ttl: 60_000 }));
    expect(first.status).toBe(200);
    const own = first.json.swarm[node.core.identity.ed25519Hex];
    expect(own.already).toBeUndefined();
    expect(own.expiry).toBe(now + 60_000);

    const again = await node.rpc('store', alice.storeParams('hi', { timestamp: now, ttl: 120_000 }));
    const second = again.json.swarm[node.core.identity.ed25519Hex];
    expect(again.status).toBe(200);
    expect(second.hash).toBe(own.hash);
    expect(second.already).toBe(true);
    expect(second.expiry).toBe(now + 120_000);

    // A shorter duplicate never shortens what is held.
    const shorter = await node.rpc('store', alice.storeParams('hi', { timestamp: now, ttl: 30_000 }));
    expect(shorter.json.swarm[node.core.identity.ed25519Hex].expiry).toBe(now + 120_000);

    const read = await node.rpc('retrieve', alice.retrieveParams());
    expect(read.json.messages).toHaveLength(1);
    expect(read.json.messages[0].expiration).toBe(now + 120_000);
  });

  it('the node signature in the reply is over the hash and verifies with the node key', async () => {
    const { verifyEd25519 } = await import('@starling/crypto');
    const res = await node.rpc('store', new TestAccount().storeParams('sig me'));
    const own = res.json.swarm[node.core.identity.ed25519Hex];
    expect(verifyEd25519(Buffer.from(own.signature, 'base64'), Buffer.from(own.hash), Buffer.from(node.core.identity.ed25519Hex, 'hex'))).toBe(true);
  });
});
