import { expectCryptoError } from '../test/expect-crypto-error';
import {
  blind15Id,
  blind15IdsFromSessionId,
  blind15Abs,
  blind15Sign,
  blind25Id,
  blind25IdFromSessionId,
  blind25Sign,
  sessionIdFromBlind15Id,
  sessionIdMatchesBlindedId,
  verifyBlindedSignature,
  versionBlindedKeyPair,
  versionRequestMessage,
  x25519PublicKeyToEd25519,
} from './blinding';
import { fromHex, toHex, utf8 } from './encoding';
import { identityFromSeed } from './identity';
import { signEd25519 } from './signing';
import { ready } from './sodium';
import {
  blind15FromSessionIdVectors,
  blind15SignVectors,
  blind25SignVectors,
  blind25Vectors,
  PYSOGS_SERVER_PK,
  pysogsBlind15Vectors,
  SESSION_ID1,
  SK1,
  versionBlindingVector,
  xed25519Vectors,
} from './vectors/blinding.vectors';

beforeAll(ready);

const flipSign = (id: string): string => id.slice(0, 64) + (parseInt(id[64], 16) ^ 0x8).toString(16) + id[65];

describe('XEd25519 public key conversion', () => {
  it.each(xed25519Vectors.map((v) => [v.x25519Pk, v] as const))('%s', (_x, v) => {
    expect(toHex(x25519PublicKeyToEd25519(fromHex(v.x25519Pk)))).toBe(v.ed25519Pk);
  });

  it('rejects u = -1 (no Ed25519 form) and wrong lengths', () => {
    const minusOne = fromHex('ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f');
    expectCryptoError(() => x25519PublicKeyToEd25519(minusOne), 'BAD_KEY');
    expectCryptoError(() => x25519PublicKeyToEd25519(new Uint8Array(31)), 'BAD_LENGTH');
  });
});

describe('blind15 ids from a Session ID', () => {
  it.each(blind15FromSessionIdVectors.map((v) => [v.sessionId, v] as const))('%s', (_id, v) => {
    const serverPk = fromHex(v.serverPk);
    const candidates = blind15IdsFromSessionId(v.sessionId, serverPk);
    expect(candidates[0]).toBe(v.positive);
    expect(candidates[1]).toBe(flipSign(v.positive));
    // The owner's own key gives exactly the candidate the vector names.
    expect(blind15Id(fromHex(v.ownerSk), serverPk)).toBe(candidates[v.ownerIndex]);
    expect(sessionIdMatchesBlindedId(v.sessionId, candidates[0], serverPk)).toBe(true);
    expect(sessionIdMatchesBlindedId(v.sessionId, candidates[1], serverPk)).toBe(true);
  });
});

describe('undoing 15-blinding', () => {
  it.each(blind15FromSessionIdVectors.map((v) => [v.sessionId, v] as const))('recovers %s from both candidates', (_id, v) => {
    const serverPk = fromHex(v.serverPk);
    for (const candidate of blind15IdsFromSessionId(v.sessionId, serverPk)) {
      expect(sessionIdFromBlind15Id(candidate, serverPk)).toBe(v.sessionId);
      const abs = blind15Abs(candidate);
      expect(abs).toBe(v.positive.slice(0, 64) + (parseInt(v.positive[64], 16) & 0x7).toString(16) + v.positive[65]);
      expect(parseInt(abs[64], 16)).toBeLessThan(8);
    }
  });

  it('maps a blind15 id to the blind25 id of the same account (15 -> 25 migration)', () => {
    for (const v of blind25Vectors) {
      const serverPk = fromHex(v.serverPk);
      const id15 = blind15Id(fromHex(v.ownerSk), serverPk);
      expect(blind25IdFromSessionId(sessionIdFromBlind15Id(id15, serverPk), serverPk)).toBe(v.id);
    }
  });

  it('rejects ids that are not blind15 or not curve points', () => {
    const serverPk = fromHex(PYSOGS_SERVER_PK);
    expectCryptoError(() => sessionIdFromBlind15Id('25' + '11'.repeat(32), serverPk), 'BAD_KEY');
    expectCryptoError(() => sessionIdFromBlind15Id('15' + '00'.repeat(32), serverPk), 'BAD_KEY');
    expectCryptoError(() => blind15Abs(SESSION_ID1), 'BAD_KEY');
  });
});

describe('blind15 ids from a seed (pysogs test_blinding.py)', () => {
  const serverPk = fromHex(PYSOGS_SERVER_PK);
  it.each(pysogsBlind15Vectors)('%s', (seed, id) => {
    expect(blind15Id(fromHex(seed), serverPk)).toBe(id);
    // From the Session ID alone, the id is one of the two candidates.
    const { sessionId } = identityFromSeed(fromHex(seed));
    expect(blind15IdsFromSessionId(sessionId, serverPk)).toContain(id);
  });
});

describe('blind25 ids', () => {
  it.each(blind25Vectors.map((v) => [v.id, v] as const))('%s', (_id, v) => {
    const serverPk = fromHex(v.serverPk);
    expect(blind25IdFromSessionId(v.sessionId, serverPk)).toBe(v.id);
    expect(blind25Id(fromHex(v.ownerSk), serverPk)).toBe(v.id);
    expect(blind25Id(fromHex(v.ownerSk).subarray(0, 32), serverPk)).toBe(v.id);
    expect(sessionIdMatchesBlindedId(v.sessionId, v.id, serverPk)).toBe(true);
    expect(sessionIdMatchesBlindedId(v.sessionId, flipSign(v.id), serverPk)).toBe(false);
  });
});

describe.each([
  ['blind25', blind25SignVectors, (sk: Uint8Array, s: Uint8Array, m: Uint8Array) => blind25Sign(sk, s, m), blind25Id],
  ['blind15', blind15SignVectors, (sk: Uint8Array, s: Uint8Array, m: Uint8Array) => blind15Sign(sk, s, m, 'libsession'), blind15Id],
] as const)('%s signing (libsession vectors)', (_name, vectors, sign, idOf) => {
  it.each(vectors.map((v) => [v.message, v.serverPk.slice(0, 6), v] as const))('"%s" for server %s…', (_m, _s, v) => {
    const serverPk = fromHex(v.serverPk);
    const message = utf8(v.message);
    const sk = fromHex(v.sk);
    expect(toHex(sign(sk, serverPk, message))).toBe(v.signature);
    expect(toHex(sign(sk.subarray(0, 32), serverPk, message))).toBe(v.signature); // seed only
    const id = idOf(sk, serverPk);
    expect(verifyBlindedSignature(id, fromHex(v.signature), message)).toBe(true);
    expect(verifyBlindedSignature(id, fromHex(v.signature), utf8(v.message + '!'))).toBe(false);
    expect(verifyBlindedSignature(flipSign(id), fromHex(v.signature), message)).toBe(false);
  });
});

describe('blind15 signing, pysogs nonce rule', () => {
  it('differs from the libsession bytes but verifies under the same id', () => {
    const v = blind15SignVectors[0];
    const sk = fromHex(v.sk);
    const serverPk = fromHex(v.serverPk);
    const signature = blind15Sign(sk, serverPk, utf8(v.message));
    expect(toHex(signature)).not.toBe(v.signature);
    expect(verifyBlindedSignature(blind15Id(sk, serverPk), signature, utf8(v.message))).toBe(true);
  });
});

describe('blinded signature bad input', () => {
  const v = blind25SignVectors[0];
  const id = () => blind25Id(fromHex(v.sk), fromHex(v.serverPk));

  it('rejects tampered and truncated signatures', () => {
    const signature = fromHex(v.signature);
    for (const byte of [0, 32, 63]) {
      const bad = signature.slice();
      bad[byte] ^= 0x04;
      expect(verifyBlindedSignature(id(), bad, utf8(v.message))).toBe(false);
    }
    expect(verifyBlindedSignature(id(), signature.subarray(0, 60), utf8(v.message))).toBe(false);
  });

  it('does not verify with a key that is not a curve point', () => {
    expect(verifyBlindedSignature('25' + '00'.repeat(32), fromHex(v.signature), utf8(v.message))).toBe(false);
  });

  it('refuses a Session ID (05) as a signer id', () => {
    expectCryptoError(() => verifyBlindedSignature(SESSION_ID1, fromHex(v.signature), utf8(v.message)), 'BAD_KEY');
  });

  it('rejects bad server keys and secrets', () => {
    expectCryptoError(() => blind15Id(fromHex(SK1), new Uint8Array(31)), 'BAD_LENGTH');
    expectCryptoError(() => blind25IdFromSessionId(SESSION_ID1, new Uint8Array(33)), 'BAD_LENGTH');
    expectCryptoError(() => blind25Sign(new Uint8Array(20), fromHex(v.serverPk), utf8('x')), 'BAD_LENGTH');
    expectCryptoError(() => blind15IdsFromSessionId('15' + SESSION_ID1.slice(2), fromHex(v.serverPk)), 'BAD_KEY');
  });

  it('rejects a Session ID whose key is not on the curve', () => {
    // u = 2 lies on the twist, not on Curve25519.
    const twist = '05' + '02' + '00'.repeat(31);
    expectCryptoError(() => blind25IdFromSessionId(twist, fromHex(v.serverPk)), 'BAD_KEY');
  });

  it('does not match another account or another server', () => {
    const [b15] = blind15IdsFromSessionId(SESSION_ID1, fromHex(v.serverPk));
    const other = identityFromSeed(new Uint8Array(16)).sessionId;
    expect(sessionIdMatchesBlindedId(other, b15, fromHex(v.serverPk))).toBe(false);
    expect(sessionIdMatchesBlindedId(SESSION_ID1, b15, fromHex(blind25SignVectors[1].serverPk))).toBe(false);
  });
});

describe('version blinding (07)', () => {
  const v = versionBlindingVector;
  it('derives the pinned key and signature', () => {
    const pair = versionBlindedKeyPair(fromHex(v.sk));
    expect(toHex(pair.secretKey.subarray(0, 32))).toBe(v.seed);
    expect(toHex(pair.publicKey)).toBe(v.publicKey);
    expect(pair.id).toBe('07' + v.publicKey);
    const message = versionRequestMessage(v.timestamp, v.method, v.path);
    expect(Buffer.from(message).toString('utf8')).toBe('1234567890GET/session_version?platform=desktop');
    const signature = signEd25519(pair.secretKey, message);
    expect(toHex(signature)).toBe(v.signature);
    expect(verifyBlindedSignature(pair.id, signature, message)).toBe(true);
  });
});
