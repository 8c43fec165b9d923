// Who may read without signing (public outbox, legacy -10) and the public outbox's one message.
import { ready } from '@starling/crypto';
import { testDatabases } from '@starling/platform';
import { TestAccount } from './support/accounts';
import { openCore, type CoreHandle } from './support/core';

beforeAll(() => ready());

describe.each(testDatabases())('namespace auth on $name', (backend) => {
  let node: CoreHandle;
  beforeAll(async () => (node = await openCore(backend)));
  afterAll(() => node.close());

  it('namespace 0 needs a signature to read (401), a public outbox (-21) does not', async () => {
    const a = new TestAccount();
    expect((await node.rpc('retrieve', { pubkey: a.sessionId })).status).toBe(401);
    await node.rpc('store', a.storeParams('first', { namespace: -21 }));
    await node.rpc('store', a.storeParams('second', { namespace: -21 }));
    const res = await node.rpc('retrieve', { pubkey: a.sessionId, namespace: -21 });
    expect(res.status).toBe(200);
    // The public outbox keeps one message per owner: the newest.
    expect(res.json.messages.map((m: { data: string }) => Buffer.from(m.data, 'base64').toString())).toEqual(['second']);
  });

  it('a public outbox store without the owner signature is 401', async () => {
    const a = new TestAccount();
    const { signature: _s, ...unsigned } = a.storeParams('x', { namespace: -1 });
    expect((await node.rpc('store', unsigned)).status).toBe(401);
  });

  it('a retrieve signature for another namespace does not open this one', async () => {
    const a = new TestAccount();
    const ts = Date.now();
    const res = await node.rpc('retrieve', { pubkey: a.sessionId, namespace: 3, timestamp: ts, ...a.auth(`retrieve${ts}`) });
    expect(res.status).toBe(401);
  });
});
