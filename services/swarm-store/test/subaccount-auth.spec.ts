// Subaccount tokens (storage-onion 1.3): [netid][flags][0 0][delegate Ed25519 key], signed by the
// account; the request is signed by the delegate. Flags R=1 W=2 D=4 AnyPrefix=8.
import { ready } from '@starling/crypto';
import { testDatabases } from '@starling/platform';
import { TestAccount } from './support/accounts';
import { openCore, type CoreHandle } from './support/core';

beforeAll(() => ready());

function token(netid: number, flags: number, delegate: TestAccount): Buffer {
  return Buffer.concat([Buffer.from([netid, flags, 0, 0]), Buffer.from(delegate.ed25519Hex, 'hex')]);
}

describe.each(testDatabases())('subaccounts on $name', (backend) => {
  let node: CoreHandle;
  beforeAll(async () => (node = await openCore(backend)));
  afterAll(() => node.close());

  const signedBy = (account: TestAccount, delegate: TestAccount, tok: Buffer, text: string) => ({
    pubkey: account.sessionId,
    pubkey_ed25519: account.ed25519Hex,
    subaccount: tok.toString('base64'),
    subaccount_sig: account.sign(tok),
    signature: delegate.sign(text),
  });
  const account = () => new TestAccount();
  const owner = account;

  it('a read token lets the delegate retrieve, but not delete', async () => {
    const a = account();
    const d = owner();
    await node.rpc('store', a.storeParams('for the delegate'));
    const ts = Date.now();
    const read = await node.rpc('retrieve', { timestamp: ts, ...signedBy(a, d, token(0x05, 0x01, d), `retrieve${ts}`) });
    expect(read.status).toBe(200);
    expect(read.json.messages).toHaveLength(1);
    const del = await node.rpc('delete_all', { timestamp: ts, ...signedBy(a, d, token(0x05, 0x01, d), `delete_all${ts}`) });
    expect(del.status).toBe(401);
    expect(del.body).toMatch(/lacks the required permission/);
  });

  it('a token for another netid is refused unless it has AnyPrefix', async () => {
    const a = account();
    const d = owner();
    const ts = Date.now();
    expect((await node.rpc('retrieve', { timestamp: ts, ...signedBy(a, d, token(0x03, 0x01, d), `retrieve${ts}`) })).status).toBe(401);
    expect((await node.rpc('retrieve', { timestamp: ts, ...signedBy(a, d, token(0x03, 0x09, d), `retrieve${ts}`) })).status).toBe(200);
  });

  it('a revoked token is refused, except in an unrevocable namespace (-11)', async () => {
    const a = account();
    const d = owner();
    const tok = token(0x05, 0x03, d);
    await node.db.query('INSERT INTO revoked_subaccounts (owner, token, revoked_ms) VALUES ($1, $2, $3)', [Buffer.from(a.sessionId, 'hex'), tok, String(Date.now())]);
    const ts = Date.now();
    const res = await node.rpc('retrieve', { timestamp: ts, ...signedBy(a, d, tok, `retrieve${ts}`) });
    expect(res).toMatchObject({ status: 401, body: 'retrieve: subaccount token has been revoked' });
    expect((await node.rpc('retrieve', { namespace: -11, timestamp: ts, ...signedBy(a, d, tok, `retrieve-11${ts}`) })).status).toBe(200);
  });

  it('subaccount without subaccount_sig is a 400', async () => {
    const a = account();
    const d = owner();
    const ts = Date.now();
    const { subaccount_sig: _s, ...rest } = signedBy(a, d, token(0x05, 0x01, d), `retrieve${ts}`);
    expect((await node.rpc('retrieve', { timestamp: ts, ...rest })).status).toBe(400);
  });
});
