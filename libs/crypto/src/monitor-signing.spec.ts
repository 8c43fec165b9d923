import { expectCryptoError } from '../test/expect-crypto-error';
import { fromBase64, fromHex, toBase64, utf8 } from './encoding';
import { monitorSigningText, unsubscribeSigningText } from './monitor-signing';
import { signEd25519, verifyEd25519, ed25519KeyPairFromSeed } from './signing';
import { ready } from './sodium';
import { monitorSigningAccountHex, monitorSigningSeedHex, monitorSigningVectors } from './vectors/monitor-signing.vectors';

beforeAll(ready);

describe.each(monitorSigningVectors)('push subscription signature: $text', (v) => {
  const account = fromHex(monitorSigningAccountHex);
  const text = v.kind === 'monitor' ? monitorSigningText(account, v.sigTs, v.wantData, v.namespaces) : unsubscribeSigningText(account, v.sigTs);

  it('builds the signed text', () => expect(text).toBe(v.text));

  it('signs to the independently computed signature, which verifies', () => {
    const seed = fromHex(monitorSigningSeedHex);
    expect(toBase64(signEd25519(seed, utf8(text)))).toBe(v.signature);
    expect(verifyEd25519(fromBase64(v.signature), utf8(text), ed25519KeyPairFromSeed(seed).publicKey)).toBe(true);
  });
});

describe('push subscription signing text refusals', () => {
  it('needs a 33-byte account', () => {
    expectCryptoError(() => monitorSigningText(new Uint8Array(32), 1, true, [0]), 'BAD_LENGTH');
    expectCryptoError(() => unsubscribeSigningText(new Uint8Array(34), 1), 'BAD_LENGTH');
  });

  it('needs an integer timestamp', () => {
    expectCryptoError(() => monitorSigningText(new Uint8Array(33), 1.5, true, [0]), 'MALFORMED');
  });
});
