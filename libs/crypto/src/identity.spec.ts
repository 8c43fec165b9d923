import { expectCryptoError } from '../test/expect-crypto-error';
import { fromHex, toHex } from './encoding';
import {
  generateIdentity,
  identityFromSeed,
  IdPrefix,
  isSessionId,
  parsePrefixedId,
  parseSessionId,
  sessionIdFromX25519,
  x25519PublicKeyFromSecret,
} from './identity';
import { ready } from './sodium';
import { identityVectors, x25519Vectors } from './vectors/identity.vectors';

beforeAll(ready);

describe('identityFromSeed vectors', () => {
  it.each(identityVectors.map((v) => [v.source, v] as const))('%s', (_source, v) => {
    const identity = identityFromSeed(fromHex(v.seed));
    expect(toHex(identity.ed25519.publicKey)).toBe(v.ed25519Pk);
    expect(toHex(identity.ed25519.secretKey)).toBe(toHex(identity.seed) + v.ed25519Pk);
    expect(identity.seed).toHaveLength(32);
    if (v.sessionId) expect(identity.sessionId).toBe(v.sessionId);
    if (v.x25519Sk) expect(toHex(identity.x25519.secretKey)).toBe(v.x25519Sk);
    expect(identity.sessionId).toBe('05' + toHex(identity.x25519.publicKey));
  });

  it('zero-extends a 16-byte seed to 32 bytes', () => {
    const seed16 = fromHex('000102030405060708090a0b0c0d0e0f');
    const identity = identityFromSeed(seed16);
    expect(toHex(identity.seed)).toBe('000102030405060708090a0b0c0d0e0f' + '00'.repeat(16));
    expect(identityFromSeed(identity.seed).sessionId).toBe(identity.sessionId);
  });

  it.each([0, 15, 17, 31, 33, 64])('rejects a %i-byte seed', (n) => {
    expectCryptoError(() => identityFromSeed(new Uint8Array(n)), 'BAD_LENGTH');
  });
});

describe('generateIdentity', () => {
  it('draws a fresh 16-byte seed each time and derives from it', () => {
    const a = generateIdentity();
    const b = generateIdentity();
    expect(a.seed16).toHaveLength(16);
    expect(a.identity.sessionId).not.toBe(b.identity.sessionId);
    expect(identityFromSeed(a.seed16).sessionId).toBe(a.identity.sessionId);
    expect(isSessionId(a.identity.sessionId)).toBe(true);
  });
});

describe('Session ID parsing', () => {
  const id = identityVectors[0].sessionId!;

  it('returns the X25519 key and round-trips', () => {
    const key = parseSessionId(id);
    expect(key).toHaveLength(32);
    expect(sessionIdFromX25519(key)).toBe(id);
  });

  it('accepts upper case and normalises to lower case', () => {
    expect(parsePrefixedId(id.toUpperCase(), [IdPrefix.session]).id).toBe(id);
  });

  it('rejects a blinded id with a message naming the prefix', () => {
    const err = expectCryptoError(() => parseSessionId('15' + id.slice(2)), 'BAD_KEY');
    expect(err.message).toMatch(/15.*blinded/);
  });

  it.each([
    ['too short', id.slice(0, 64), 'BAD_LENGTH'],
    ['too long', id + '00', 'BAD_LENGTH'],
    ['empty', '', 'BAD_LENGTH'],
    ['not hex', '05' + 'zz'.repeat(32), 'BAD_ENCODING'],
    ['a group id', '03' + id.slice(2), 'BAD_KEY'],
    ['an unblinded Ed25519 id', '00' + id.slice(2), 'BAD_KEY'],
  ] as const)('rejects %s', (_name, text, code) => {
    expectCryptoError(() => parseSessionId(text), code);
    expect(isSessionId(text)).toBe(false);
  });

  it('rejects a non-string', () => {
    expectCryptoError(() => parseSessionId(undefined as unknown as string), 'BAD_LENGTH');
  });
});

describe('X25519 public key from secret', () => {
  it.each(x25519Vectors.map((v) => [v.source, v] as const))('%s', (_source, v) => {
    expect(toHex(x25519PublicKeyFromSecret(fromHex(v.secretKey)))).toBe(v.publicKey);
  });

  it('matches the identity derivation and rejects wrong lengths', () => {
    const { identity } = generateIdentity();
    expect(x25519PublicKeyFromSecret(identity.x25519.secretKey)).toEqual(identity.x25519.publicKey);
    expectCryptoError(() => x25519PublicKeyFromSecret(new Uint8Array(31)), 'BAD_LENGTH');
  });
});
