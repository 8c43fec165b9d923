import { expectCryptoError } from '../test/expect-crypto-error';
import { fromBase64, fromHex, toBase64, toHex, utf8 } from './encoding';
import { identityFromSeed } from './identity';
import {
  blake2b,
  ed25519KeyPairFromSecret,
  ed25519PublicKeyToX25519,
  ed25519SecretKeyToX25519,
  signEd25519,
  verifyEd25519,
} from './signing';
import { ready } from './sodium';
import { signatureVectors, snodeSignatureStrings } from './vectors/signing.vectors';
import { identityVectors } from './vectors/identity.vectors';

beforeAll(ready);

describe('Ed25519 signature vectors', () => {
  it.each(signatureVectors.map((v) => [v.source, v] as const))('%s', (_source, v) => {
    const seed = fromHex(v.seed);
    const signature = signEd25519(seed, utf8(v.message));
    expect(v.encoding === 'hex' ? toHex(signature) : toBase64(signature)).toBe(v.signature);
    const pk = ed25519KeyPairFromSecret(seed).publicKey;
    const published = v.encoding === 'hex' ? fromHex(v.signature) : fromBase64(v.signature);
    expect(verifyEd25519(published, utf8(v.message), pk)).toBe(true);
  });
});

describe('snode signature strings (client.md 9.6)', () => {
  const group = () => ed25519KeyPairFromSecret(fromHex(snodeSignatureStrings.groupSeed));
  const user = () => identityFromSeed(fromHex(snodeSignatureStrings.userSeed16)).ed25519;

  it('derives the pinned group key', () => {
    expect('03' + toHex(group().publicKey)).toBe(snodeSignatureStrings.groupId);
  });

  it.each(snodeSignatureStrings.messages)('signs and verifies %s for the group and the user only', (message) => {
    for (const [signer, other] of [[group(), user()], [user(), group()]]) {
      const signature = signEd25519(signer.secretKey, utf8(message));
      expect(verifyEd25519(signature, utf8(message), signer.publicKey)).toBe(true);
      expect(verifyEd25519(signature, utf8(message), other.publicKey)).toBe(false);
    }
  });
});

describe('Ed25519 bad input', () => {
  const v = signatureVectors[0];
  let pk: Uint8Array;
  const signature = fromHex(v.signature);
  beforeAll(() => {
    pk = ed25519KeyPairFromSecret(fromHex(v.seed)).publicKey;
  });
  const message = utf8(v.message);

  it('rejects every single-bit change of the signature, message or key', () => {
    for (const byte of [0, 31, 32, 63]) {
      const bad = signature.slice();
      bad[byte] ^= 0x01;
      expect(verifyEd25519(bad, message, pk)).toBe(false);
    }
    expect(verifyEd25519(signature, utf8('hellp'), pk)).toBe(false);
    const otherKey = pk.slice();
    otherKey[0] ^= 0x01;
    expect(verifyEd25519(signature, message, otherKey)).toBe(false);
  });

  it('treats truncated signatures and keys as not verifying', () => {
    expect(verifyEd25519(signature.subarray(0, 63), message, pk)).toBe(false);
    expect(verifyEd25519(signature, message, pk.subarray(0, 31))).toBe(false);
    expect(verifyEd25519(new Uint8Array(64), message, new Uint8Array(32))).toBe(false);
  });

  it('rejects a 64-byte secret key whose public half is not its own', () => {
    const sk = ed25519KeyPairFromSecret(fromHex(v.seed)).secretKey.slice();
    sk[40] ^= 0x01;
    expectCryptoError(() => signEd25519(sk, message), 'BAD_KEY');
  });

  it.each([0, 16, 31, 33, 63, 65])('rejects a %i-byte secret', (n) => {
    expectCryptoError(() => signEd25519(new Uint8Array(n), message), 'BAD_LENGTH');
  });
});

describe('Ed25519 -> X25519', () => {
  it.each(identityVectors.filter((v) => v.sessionId).map((v) => [v.source, v] as const))('%s', (_s, v) => {
    expect('05' + toHex(ed25519PublicKeyToX25519(fromHex(v.ed25519Pk)))).toBe(v.sessionId);
  });

  it('gives the X25519 secret key of client.md 1.3 row 3', () => {
    const row = identityVectors.find((v) => v.x25519Sk)!;
    const seed32 = fromHex(row.seed + '00'.repeat(16));
    expect(toHex(ed25519SecretKeyToX25519(seed32))).toBe(row.x25519Sk);
  });

  it('rejects a key that is not a curve point, and wrong lengths', () => {
    // y = 2 is not the y-coordinate of any Ed25519 point.
    const notAPoint = new Uint8Array(32);
    notAPoint[0] = 2;
    expectCryptoError(() => ed25519PublicKeyToX25519(notAPoint), 'BAD_KEY');
    expectCryptoError(() => ed25519PublicKeyToX25519(new Uint8Array(31)), 'BAD_LENGTH');
  });
});

describe('BLAKE2b', () => {
  // RFC 7693 appendix A: BLAKE2b-512("abc").
  it('matches the RFC 7693 vector', () => {
    expect(toHex(blake2b(utf8('abc'), 64))).toBe(
      'ba80a53f981c4d0d6a2797b69f12f6e94c212f14685ac4b74b12bb6fdbffa2d1' +
        '7d87c5392aab792dc252d5de4533cc9518d38aa8dbf1925ab92386edd4009923',
    );
  });

  it('supports other lengths and keys, and the key changes the result', () => {
    const message = utf8('hello');
    expect(blake2b(message, 16)).toHaveLength(16);
    expect(blake2b(message, 32)).toHaveLength(32);
    expect(toHex(blake2b(message, 32, 'SessCommBlind25_seed'))).not.toBe(toHex(blake2b(message, 32)));
    expect(toHex(blake2b(message, 32, 'SessCommBlind25_seed'))).toBe(
      toHex(blake2b(message, 32, utf8('SessCommBlind25_seed'))),
    );
  });

  it.each([0, 15, 65, 32.5])('rejects output length %p', (n) => {
    expectCryptoError(() => blake2b(utf8('x'), n), 'BAD_LENGTH');
  });

  it('rejects keys outside 16..64 bytes', () => {
    expectCryptoError(() => blake2b(utf8('x'), 32, new Uint8Array(15)), 'BAD_LENGTH');
    expectCryptoError(() => blake2b(utf8('x'), 32, new Uint8Array(65)), 'BAD_LENGTH');
  });
});
