// Ed25519 signatures, the Ed25519 -> X25519 key conversion and BLAKE2b: the primitives every
// Session signature and hash is built from.
import * as nativeSodium from 'sodium-native';
import { requireBytes } from './encoding';
import { CryptoError } from './errors';
import { sodium } from './sodium';

/** A Buffer over the same memory (sodium-native takes Buffers; nothing is copied). */
function view(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

export interface Ed25519KeyPair {
  publicKey: Uint8Array; // 32 bytes
  secretKey: Uint8Array; // 64 bytes, libsodium layout: seed || publicKey
}

/** Ed25519 keypair from a 32-byte seed (libsodium crypto_sign_seed_keypair). */
export function ed25519KeyPairFromSeed(seed: Uint8Array): Ed25519KeyPair {
  requireBytes(seed, 32, 'Ed25519 seed');
  const pair = sodium().crypto_sign_seed_keypair(seed);
  return { publicKey: pair.publicKey, secretKey: pair.privateKey };
}

/**
 * Accepts a 32-byte seed or a 64-byte libsodium secret key (seed || pk) and returns the full
 * keypair. A 64-byte key whose second half is not the seed's public key is BAD_KEY: signing with
 * it would produce signatures nobody can verify.
 */
export function ed25519KeyPairFromSecret(secret: Uint8Array): Ed25519KeyPair {
  if (secret instanceof Uint8Array && secret.length === 64) {
    const pair = ed25519KeyPairFromSeed(secret.subarray(0, 32));
    if (!sodium().memcmp(pair.publicKey, secret.subarray(32))) {
      throw new CryptoError('BAD_KEY', 'Ed25519 secret key: public half does not match the seed');
    }
    return pair;
  }
  if (secret instanceof Uint8Array && secret.length === 32) return ed25519KeyPairFromSeed(secret);
  throw new CryptoError('BAD_LENGTH', 'Ed25519 secret must be a 32-byte seed or a 64-byte secret key');
}

// 64-byte secret keys already checked for a matching public half: a node signs with the same key
// object all day, and re-deriving the keypair would double the cost of every signature.
const checkedSecretKeys = new WeakSet<Uint8Array>();

/**
 * Detached Ed25519 signature (64 bytes) by a 32-byte seed or 64-byte secret key. Signed by native
 * libsodium (same bytes as the WebAssembly build: Ed25519 is deterministic) at ~2.5x its speed:
 * a storage node signs every message it stores.
 */
export function signEd25519(secret: Uint8Array, message: Uint8Array): Uint8Array {
  let secretKey = secret;
  if (!(secret instanceof Uint8Array && secret.length === 64 && checkedSecretKeys.has(secret))) {
    secretKey = ed25519KeyPairFromSecret(secret).secretKey;
    if (secret.length === 64) checkedSecretKeys.add(secret);
  }
  const signature = Buffer.alloc(64);
  nativeSodium.crypto_sign_detached(signature, view(message), view(secretKey));
  return new Uint8Array(signature.buffer, signature.byteOffset, 64);
}

/**
 * True only for a valid signature. Wrong-sized signatures or keys are false rather than errors,
 * because to a verifier they are simply signatures that do not verify.
 */
export function verifyEd25519(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): boolean {
  if (!(signature instanceof Uint8Array) || signature.length !== 64) return false;
  if (!(publicKey instanceof Uint8Array) || publicKey.length !== 32) return false;
  try {
    return sodium().crypto_sign_verify_detached(signature, message, publicKey);
  } catch {
    return false; // libsodium throws on keys that are not points
  }
}

/** Ed25519 public key -> X25519 public key (birational map). BAD_KEY if pk is not a valid point. */
export function ed25519PublicKeyToX25519(publicKey: Uint8Array): Uint8Array {
  requireBytes(publicKey, 32, 'Ed25519 public key');
  try {
    return sodium().crypto_sign_ed25519_pk_to_curve25519(publicKey);
  } catch {
    throw new CryptoError('BAD_KEY', 'Ed25519 public key is not a valid curve point');
  }
}

/** Ed25519 secret (seed or 64-byte key) -> X25519 secret key (the clamped private scalar). */
export function ed25519SecretKeyToX25519(secret: Uint8Array): Uint8Array {
  const { secretKey } = ed25519KeyPairFromSecret(secret);
  return sodium().crypto_sign_ed25519_sk_to_curve25519(secretKey);
}

/**
 * BLAKE2b with any output length 16..64 and an optional key of 16..64 bytes (libsodium limits).
 * Salt/personalisation are not offered: libsodium-wrappers exposes no message hash with them and
 * nothing shipped in the protocol needs them.
 */
export function blake2b(message: Uint8Array, outputLength: number, key?: Uint8Array | string): Uint8Array {
  if (!Number.isInteger(outputLength) || outputLength < 16 || outputLength > 64) {
    throw new CryptoError('BAD_LENGTH', `BLAKE2b output length must be 16..64 bytes, got ${outputLength}`);
  }
  const keyBytes = typeof key === 'string' ? new Uint8Array(Buffer.from(key, 'utf8')) : key;
  if (keyBytes !== undefined && (keyBytes.length < 16 || keyBytes.length > 64)) {
    throw new CryptoError('BAD_LENGTH', `BLAKE2b key must be 16..64 bytes, got ${keyBytes.length}`);
  }
  return sodium().crypto_generichash(outputLength, message, keyBytes ?? null);
}

export function sha512(message: Uint8Array): Uint8Array {
  return sodium().crypto_hash_sha512(message);
}
