// A group member subscribes for the group's account with a subaccount token the group signed
// (upstream verify_storage_signature): the token needs Read, the group's network prefix (or
// AnyPrefix), the group's signature, and the request is signed by the token's own key.
import { concatBytes, ed25519KeyPairFromSeed, ready, signEd25519, SubaccountFlag, toBase64 } from '@starling/crypto';
import { randomBytes } from 'crypto';
import { testDatabases } from '@starling/platform';
import { openApi, type ApiHarness } from './support/api-harness';
import { groupSubscriber, subscribeBody } from './support/subscriber';

beforeAll(ready);

describe.each(testDatabases())('subaccount subscriptions on $name', (backend) => {
  let h: ApiHarness;
  beforeAll(async () => (h = await openApi(backend)));
  afterAll(() => h.close());

  const member = () => ed25519KeyPairFromSeed(randomBytes(32));
  function body(flags: number, prefix = 0x03, tokenSigner?: Uint8Array) {
    const group = groupSubscriber();
    const delegate = member();
    const token = concatBytes(Uint8Array.of(prefix, flags, 0, 0), delegate.publicKey);
    return {
      group,
      request: {
        ...subscribeBody(group, { namespaces: [-11, 11, 12, 13, 14], signer: delegate.secretKey }),
        subaccount: toBase64(token),
        subaccount_sig: toBase64(signEd25519(tokenSigner ?? group.ed25519.secretKey, token)),
      },
    };
  }

  it('accepts a Read token signed by the group, and stores the token for the storage nodes', async () => {
    const { group, request } = body(SubaccountFlag.read);
    expect((await h.post('/subscribe', request)).json).toMatchObject({ success: true, added: true });
    const [monitored] = await h.store.forMonitoring(group.account, Math.floor(h.clock.nowMs / 1000));
    expect(monitored!.subaccountToken!.toString('base64')).toBe(request.subaccount);
  });

  it.each([
    ['a token without Read', SubaccountFlag.write, 0x03, false, 'Invalid subaccount: this subaccount does not have read permission'],
    ['a token for another network prefix', SubaccountFlag.read, 0x05, false, 'Invalid subaccount: subaccount and main account have mismatched network prefix'],
    ['a token the group did not sign', SubaccountFlag.read, 0x03, true, 'Subaccount auth signature verification failed'],
  ])('refuses %s', async (_name, flags, prefix, foreignSigner, message) => {
    const { request } = body(flags, prefix, foreignSigner ? member().secretKey : undefined);
    expect((await h.post('/subscribe', request)).json).toEqual({ error: 4, message });
  });

  it('accepts AnyPrefix tokens and refuses a request not signed by the token key', async () => {
    expect((await h.post('/subscribe', body(SubaccountFlag.read | SubaccountFlag.anyPrefix, 0x05).request)).json.success).toBe(true);
    const { group, request } = body(SubaccountFlag.read);
    const signedByGroup = { ...request, signature: subscribeBody(group, { namespaces: [-11, 11, 12, 13, 14], sigTs: (request as Record<string, unknown>).sig_ts as number }).signature };
    expect((await h.post('/subscribe', signedByGroup)).json).toEqual({ error: 4, message: 'Subaccount main signature verification failed' });
  });
});
