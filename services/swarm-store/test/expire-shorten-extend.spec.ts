// expire (shorten/extend, one value or one per message), expire_all, get_expiries.
import { ready, verifyEd25519 } from '@starling/crypto';
import { testDatabases } from '@starling/platform';
import { TestAccount } from './support/accounts';
import { openCore, type CoreHandle } from './support/core';

beforeAll(() => ready());

describe.each(testDatabases())('expiry changes on $name', (backend) => {
  let node: CoreHandle;
  beforeAll(async () => (node = await openCore(backend)));
  afterAll(() => node.close());

  const self = () => node.core.identity.ed25519Hex;
  const stored = async (a: TestAccount, text: string, ttl: number, ns = 0) =>
    (await node.rpc('store', a.storeParams(text, { ttl, namespace: ns }))).json.hash as string;
  const expiries = async (a: TestAccount, hashes: string[]) => {
    const ts = Date.now();
    const res = await node.rpc('get_expiries', { pubkey: a.sessionId, messages: hashes, timestamp: ts, ...a.auth(`get_expiries${ts}${hashes.join('')}`) });
    expect(res.status).toBe(200);
    return res.json.expiries as Record<string, number>;
  };
  const expire = (a: TestAccount, hashes: string[], expiry: number | number[], mode: '' | 'shorten' | 'extend' = '') => {
    const flag = mode ? { [mode]: true } : {};
    const text = `expire${mode}${Array.isArray(expiry) ? expiry.join('') : expiry}${hashes.join('')}`;
    return node.rpc('expire', { pubkey: a.sessionId, messages: hashes, expiry, ...flag, ...a.auth(text) });
  };

  it('shorten lowers only, and reports the others as unchanged', async () => {
    const a = new TestAccount();
    const h = await stored(a, 'm', 600_000);
    const held = (await expiries(a, [h]))[h]!;
    const later = held + 60_000;
    const notShorter = await expire(a, [h], later, 'shorten');
    expect(notShorter.json.swarm[self()]).toMatchObject({ updated: [], unchanged: { [h]: held } });
    const sooner = Date.now() + 30_000;
    const res = await expire(a, [h], sooner, 'shorten');
    const own = res.json.swarm[self()];
    expect(own).toMatchObject({ updated: [h], expiry: sooner, unchanged: {} });
    expect(verifyEd25519(Buffer.from(own.signature, 'base64'), Buffer.from(a.sessionId + sooner + h + h), Buffer.from(self(), 'hex'))).toBe(true);
    expect((await expiries(a, [h]))[h]).toBe(sooner);
  });

  it('extend raises only; an extension under 1% of the lifetime is left unchanged', async () => {
    const a = new TestAccount();
    const h = await stored(a, 'm', 600_000);
    const held = (await expiries(a, [h]))[h]!;
    expect((await expire(a, [h], held + 1_000, 'extend')).json.swarm[self()].updated).toEqual([]);
    expect((await expire(a, [h], held + 100_000, 'extend')).json.swarm[self()].updated).toEqual([h]);
  });

  it('one expiry per message, clamped to 30 days; an expiry in the past is 401', async () => {
    const a = new TestAccount();
    const h1 = await stored(a, 'one', 600_000, 3);
    const h2 = await stored(a, 'two', 600_000, 3);
    const e1 = Date.now() + 100_000;
    const e2 = Date.now() + 40 * 86_400_000;
    const res = await expire(a, [h1, h2], [e1, e2]);
    expect(res.status).toBe(200);
    const got = await expiries(a, [h1, h2]);
    expect(got[h1]).toBe(e1);
    expect(got[h2]).toBeLessThanOrEqual(Date.now() + 30 * 86_400_000);
    expect((await expire(a, [h1], Date.now() - 61_000)).status).toBe(401);
    expect((await expire(a, [h1, h2], [e1])).status).toBe(400);
  });

  it('shorten and extend together are a 400', async () => {
    const a = new TestAccount();
    const h = await stored(a, 'm', 60_000);
    const e = Date.now() + 30_000;
    const res = await node.rpc('expire', { pubkey: a.sessionId, messages: [h], expiry: e, shorten: true, extend: true, ...a.auth(`expireshorten${e}${h}`) });
    expect(res.status).toBe(400);
  });

  it('expire_all only shortens, and an expiry in the past is 406', async () => {
    const a = new TestAccount();
    const short = await stored(a, 'short', 20_000);
    const long = await stored(a, 'long', 600_000);
    const e = Date.now() + 60_000;
    const res = await node.rpc('expire_all', { pubkey: a.sessionId, expiry: e, ...a.auth(`expire_all${e}`) });
    expect(res.json.swarm[self()].updated).toEqual([long]);
    const got = await expiries(a, [short, long]);
    expect(got[long]).toBe(e);
    expect(got[short]).toBeLessThan(e);
    const past = Date.now() - 61_000;
    expect((await node.rpc('expire_all', { pubkey: a.sessionId, expiry: past, ...a.auth(`expire_all${past}`) })).status).toBe(406);
  });

  it('get_expiries outside ±60 s is 406, unsigned 401', async () => {
    const a = new TestAccount();
    const h = await stored(a, 'm', 60_000);
    const ts = Date.now() + 61_000;
    expect((await node.rpc('get_expiries', { pubkey: a.sessionId, messages: [h], timestamp: ts, ...a.auth(`get_expiries${ts}${h}`) })).status).toBe(406);
    expect((await node.rpc('get_expiries', { pubkey: a.sessionId, messages: [h], timestamp: Date.now() })).status).toBe(401);
  });
});
