// Community ("SOGS") blinded ids: per-server Ed25519 keys that hide the Session ID from the server
// (sogs-fileserver.md 2.5-2.7, client.md 9.2). 15-blinding is what clients ship; 25-blinding is
// libsession's successor. Both sign with ordinary Ed25519 verification, so a server needs no secret.
import { concatBytes, toHex, utf8 } from './encoding';
import { CryptoError } from './errors';
import { IdPrefix, parsePrefixedId, parseSessionId, prefixedId } from './identity';
import { blake2b, ed25519KeyPairFromSecret, ed25519PublicKeyToX25519, sha512, verifyEd25519 } from './signing';
import { sodium } from './sodium';

const P = (1n << 255n) - 19n;

export interface BlindedKeyPair {
  /** kA: the 32-byte blinded Ed25519 public key (the id without its prefix byte). */
  publicKey: Uint8Array;
  /** ka: the blinded private scalar (not a seed: sign only with the blinded sign functions). */
  secretScalar: Uint8Array;
}

/** How blind15 signing derives its nonce; both give valid signatures, only the bytes differ. */
export type Blind15NonceRule = 'pysogs' | 'libsession';

/**
 * XEd25519 public-key conversion: Montgomery u -> Edwards y = (u - 1) / (u + 1), sign bit 0.
 * The result is the "positive" of the two Ed25519 keys that map to this X25519 key.
 */
export function x25519PublicKeyToEd25519(x25519PublicKey: Uint8Array): Uint8Array {
  if (!(x25519PublicKey instanceof Uint8Array) || x25519PublicKey.length !== 32) {
    throw new CryptoError('BAD_LENGTH', 'X25519 public key must be 32 bytes');
  }
  const u = readLittleEndian(x25519PublicKey) & ((1n << 255n) - 1n);
  const denominator = (u + 1n) % P;
  if (denominator === 0n) throw new CryptoError('BAD_KEY', 'X25519 public key has no Ed25519 form');
  const y = (((u - 1n + P) % P) * modPow(denominator, P - 2n)) % P;
  return writeLittleEndian32(y); // y < 2^255, so the sign bit stays 0
}

/** k15 = reduce(BLAKE2b-64(server X25519 pk)). */
function blind15Factor(serverPk: Uint8Array): Uint8Array {
  checkServerPk(serverPk);
  return sodium().crypto_core_ed25519_scalar_reduce(blake2b(serverPk, 64));
}

/** k25 = reduce(BLAKE2b-64(0x05 || X || server pk)). */
function blind25Factor(x25519PublicKey: Uint8Array, serverPk: Uint8Array): Uint8Array {
  checkServerPk(serverPk);
  return sodium().crypto_core_ed25519_scalar_reduce(
    blake2b(concatBytes(Uint8Array.of(IdPrefix.session), x25519PublicKey, serverPk), 64),
  );
}

/** The user's blind15 keypair for one server: ka = k15·a, kA = ka·B. */
export function blind15KeyPair(secret: Uint8Array, serverPk: Uint8Array): BlindedKeyPair {
  const { secretKey } = ed25519KeyPairFromSecret(secret);
  return blindedKeyPair(blind15Factor(serverPk), secretKey);
}

/**
 * The user's blind25 keypair: k25 from the Session ID, negated when the real Ed25519 key is
 * "negative", so that kA = k25·|A| is what anyone holding only the Session ID computes.
 */
export function blind25KeyPair(secret: Uint8Array, serverPk: Uint8Array): BlindedKeyPair {
  const { publicKey, secretKey } = ed25519KeyPairFromSecret(secret);
  let k = blind25Factor(ed25519PublicKeyToX25519(publicKey), serverPk);
  if (publicKey[31] & 0x80) k = sodium().crypto_core_ed25519_scalar_negate(k);
  return blindedKeyPair(k, secretKey);
}

function blindedKeyPair(k: Uint8Array, ed25519SecretKey: Uint8Array): BlindedKeyPair {
  const s = sodium();
  const a = s.crypto_sign_ed25519_sk_to_curve25519(ed25519SecretKey); // the clamped private scalar
  const secretScalar = s.crypto_core_ed25519_scalar_mul(k, a);
  return { publicKey: s.crypto_scalarmult_ed25519_base_noclamp(secretScalar), secretScalar };
}

/** "15" + hex(kA) for the holder of `secret` (seed or 64-byte Ed25519 secret key). */
export function blind15Id(secret: Uint8Array, serverPk: Uint8Array): string {
  return prefixedId(IdPrefix.blinded15, blind15KeyPair(secret, serverPk).publicKey);
}

export function blind25Id(secret: Uint8Array, serverPk: Uint8Array): string {
  return prefixedId(IdPrefix.blinded25, blind25KeyPair(secret, serverPk).publicKey);
}

/**
 * The two blind15 ids a Session ID can have on a server: [k·|A|, k·(-|A|)], i.e. the id of an
 * account whose Ed25519 key is positive, then of one whose key is negative (the sign bit of the
 * id flipped). The Session ID does not say which sign the real key has.
 */
export function blind15IdsFromSessionId(sessionId: string, serverPk: Uint8Array): [string, string] {
  const positive = multiplySessionKey(blind15Factor(serverPk), parseSessionId(sessionId));
  const negative = positive.slice();
  negative[31] ^= 0x80;
  return [prefixedId(IdPrefix.blinded15, positive), prefixedId(IdPrefix.blinded15, negative)];
}

/** The unique blind25 id of a Session ID on a server. */
export function blind25IdFromSessionId(sessionId: string, serverPk: Uint8Array): string {
  const x = parseSessionId(sessionId);
  return prefixedId(IdPrefix.blinded25, multiplySessionKey(blind25Factor(x, serverPk), x));
}

/** True when `blindedId` (15 or 25) belongs to `sessionId` on the server with key `serverPk`. */
export function sessionIdMatchesBlindedId(sessionId: string, blindedId: string, serverPk: Uint8Array): boolean {
  const { prefix, id } = parsePrefixedId(blindedId, [IdPrefix.blinded15, IdPrefix.blinded25]);
  if (prefix === IdPrefix.blinded25) return blind25IdFromSessionId(sessionId, serverPk) === id;
  return blind15IdsFromSessionId(sessionId, serverPk).includes(id);
}

/**
 * A blind15 id with the sign bit cleared (pysogs "blinded_abs"): both candidates of a Session ID
 * share this form, so a server can key "is this the same account" lookups on it.
 */
export function blind15Abs(blindedId: string): string {
  const { key } = parsePrefixedId(blindedId, [IdPrefix.blinded15]);
  key[31] &= 0x7f;
  return prefixedId(IdPrefix.blinded15, key);
}

/**
 * The Session ID behind a blind15 id. k15 depends only on the server key, so any server can undo
 * 15-blinding (the reason 25-blinding exists); pysogs PR #213 uses this to migrate users 15 -> 25.
 */
export function sessionIdFromBlind15Id(blindedId: string, serverPk: Uint8Array): string {
  const { key } = parsePrefixedId(blindedId, [IdPrefix.blinded15]);
  const s = sodium();
  const kInverse = s.crypto_core_ed25519_scalar_invert(blind15Factor(serverPk));
  let edPk: Uint8Array;
  try {
    edPk = s.crypto_scalarmult_ed25519_noclamp(kInverse, key); // ±A; the sign does not change X
  } catch {
    throw new CryptoError('BAD_KEY', 'blinded id is not a valid curve point');
  }
  return prefixedId(IdPrefix.session, ed25519PublicKeyToX25519(edPk));
}

// k·|A| where |A| is the positive Ed25519 form of the Session ID's X25519 key.
function multiplySessionKey(k: Uint8Array, x25519PublicKey: Uint8Array): Uint8Array {
  try {
    return sodium().crypto_scalarmult_ed25519_noclamp(k, x25519PublicKeyToEd25519(x25519PublicKey));
  } catch (err) {
    if (err instanceof CryptoError) throw err;
    throw new CryptoError('BAD_KEY', 'Session ID is not a valid curve point');
  }
}

/**
 * Blind15 signature by `secret` (seed or 64-byte key) for a server. Nonce rule 'pysogs' (the
 * default, as desktop and pysogs sign) hashes SHA-512(seed)[32:]; 'libsession' hashes
 * SHA-512(seed || pk)[32:]. Both verify with the blind15 id.
 */
export function blind15Sign(
  secret: Uint8Array,
  serverPk: Uint8Array,
  message: Uint8Array,
  nonceRule: Blind15NonceRule = 'pysogs',
): Uint8Array {
  const { secretKey } = ed25519KeyPairFromSecret(secret);
  const pair = blind15KeyPair(secretKey, serverPk);
  const nonceSource = nonceRule === 'libsession' ? secretKey : secretKey.subarray(0, 32);
  const nonceKey = sha512(nonceSource).subarray(32);
  const r = sodium().crypto_core_ed25519_scalar_reduce(sha512(concatBytes(nonceKey, pair.publicKey, message)));
  return signWithScalar(pair, r, message);
}

/** Blind25 signature (libsession): nonce from BLAKE2b keyed with the "SessCommBlind25_*" keys. */
export function blind25Sign(secret: Uint8Array, serverPk: Uint8Array, message: Uint8Array): Uint8Array {
  const { secretKey } = ed25519KeyPairFromSecret(secret);
  const pair = blind25KeyPair(secretKey, serverPk);
  const seedHash = blake2b(secretKey.subarray(0, 32), 32, 'SessCommBlind25_seed');
  const r = sodium().crypto_core_ed25519_scalar_reduce(
    blake2b(concatBytes(seedHash, pair.publicKey, message), 64, 'SessCommBlind25_sig'),
  );
  return signWithScalar(pair, r, message);
}

// Ed25519 signing with an explicit scalar and nonce: R = r·B, S = r + H(R || kA || M)·ka.
function signWithScalar(pair: BlindedKeyPair, r: Uint8Array, message: Uint8Array): Uint8Array {
  const s = sodium();
  const R = s.crypto_scalarmult_ed25519_base_noclamp(r);
  const hram = s.crypto_core_ed25519_scalar_reduce(sha512(concatBytes(R, pair.publicKey, message)));
  return concatBytes(R, s.crypto_core_ed25519_scalar_add(r, s.crypto_core_ed25519_scalar_mul(hram, pair.secretScalar)));
}

/**
 * Verifies a signature made by the holder of a prefixed Ed25519 id: 15 or 25 (blinded), 00
 * (unblinded Ed25519) or 07 (version key). The key is the 32 bytes after the prefix; keys that
 * are not valid main-subgroup points never verify.
 */
export function verifyBlindedSignature(id: string, signature: Uint8Array, message: Uint8Array): boolean {
  const { key } = parsePrefixedId(id, [IdPrefix.blinded15, IdPrefix.blinded25, IdPrefix.unblinded, IdPrefix.version]);
  if (!sodium().crypto_core_ed25519_is_valid_point(key)) return false;
  return verifyEd25519(signature, message, key);
}

/**
 * The version-check key (07) that authenticates file server /session_version requests: an Ed25519
 * keypair whose seed is BLAKE2b-32(seed, key "VersionCheckKey_sig").
 */
export function versionBlindedKeyPair(secret: Uint8Array): { publicKey: Uint8Array; secretKey: Uint8Array; id: string } {
  const { secretKey } = ed25519KeyPairFromSecret(secret);
  const pair = ed25519KeyPairFromSecret(blake2b(secretKey.subarray(0, 32), 32, 'VersionCheckKey_sig'));
  return { ...pair, id: prefixedId(IdPrefix.version, pair.publicKey) };
}

/** The message a version-blinded request signs: TIMESTAMP || METHOD || PATH [|| BODY]. */
export function versionRequestMessage(timestamp: number | string, method: string, path: string, body?: Uint8Array): Uint8Array {
  return concatBytes(utf8(`${timestamp}${method}${path}`), body ?? new Uint8Array(0));
}

function checkServerPk(serverPk: Uint8Array): void {
  if (!(serverPk instanceof Uint8Array) || serverPk.length !== 32) {
    throw new CryptoError('BAD_LENGTH', 'server public key must be 32 bytes');
  }
}

function readLittleEndian(bytes: Uint8Array): bigint {
  return BigInt('0x' + (toHex(bytes.slice().reverse()) || '0'));
}

function writeLittleEndian32(value: bigint): Uint8Array {
  const out = new Uint8Array(32);
  for (let i = 0; i < 32; i++) {
    out[i] = Number(value & 0xffn);
    value >>= 8n;
  }
  return out;
}

function modPow(base: bigint, exponent: bigint): bigint {
  let result = 1n;
  base %= P;
  while (exponent > 0n) {
    if (exponent & 1n) result = (result * base) % P;
    base = (base * base) % P;
    exponent >>= 1n;
  }
  return result;
}
