// One onion layer: a symmetric key agreed between a client's ephemeral X25519 key and one hop's
// long-term X25519 key, and the AEAD that seals the layer. The destination answers with the same
// key, so both sides keep a `LayerKey` (storage-onion.md 3.2).
import {
  createCipheriv,
  createDecipheriv,
  createHmac,
  createPrivateKey,
  createPublicKey,
  diffieHellman,
  KeyObject,
  randomBytes,
} from 'node:crypto';
import { concatBytes, requireBytes } from './encoding';
import { CryptoError } from './errors';
import { X25519KeyPair } from './identity';
import { blake2b } from './signing';
import { sodium } from './sodium';

/** The two layer ciphers every client and server speaks ("aes-cbc" is legacy, storage-only). */
export type OnionEncType = 'aes-gcm' | 'xchacha20';

/** What a missing `enc_type` means on the wire (Session Desktop sends none). */
export const DEFAULT_ONION_ENC_TYPE: OnionEncType = 'aes-gcm';

/** A derived layer key together with the cipher it belongs to. */
export interface LayerKey {
  encType: OnionEncType;
  key: Uint8Array;
}

const GCM_IV_BYTES = 12;
const XCHACHA_NONCE_BYTES = 24;
const TAG_BYTES = 16;
// The HMAC key libsession and the storage server use to turn the X25519 secret into an AES key.
const GCM_KEY_LABEL = Buffer.from('LOKI', 'ascii');

/** Reads `enc_type` as sent on the wire, including the aliases; absent means aes-gcm. */
export function parseEncType(wire: unknown): OnionEncType {
  if (wire === undefined || wire === null) return DEFAULT_ONION_ENC_TYPE;
  switch (wire) {
    case 'aes-gcm':
    case 'gcm':
      return 'aes-gcm';
    case 'xchacha20':
    case 'xchacha20-poly1305':
      return 'xchacha20';
    default:
      throw new CryptoError('UNSUPPORTED', `unsupported onion enc_type ${quoted(wire)}`);
  }
}

/** The value a stranger sent, short enough to quote in an error that goes back to them. */
function quoted(wire: unknown): string {
  const text = JSON.stringify(wire) ?? String(wire);
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}

/** Bytes a layer adds to its plaintext: nonce/IV plus the 16-byte tag. */
export function layerOverhead(encType: OnionEncType): number {
  return (encType === 'aes-gcm' ? GCM_IV_BYTES : XCHACHA_NONCE_BYTES) + TAG_BYTES;
}

/** A fresh X25519 key pair: one per layer on the client side. */
export function generateOnionKeyPair(): X25519KeyPair {
  const pair = sodium().crypto_box_keypair();
  return { publicKey: pair.publicKey, secretKey: pair.privateKey };
}

/** Client side: the key for the layer addressed to `hopPublicKey`, from the layer's ephemeral pair. */
export function clientLayerKey(
  encType: OnionEncType,
  ephemeral: X25519KeyPair,
  hopPublicKey: Uint8Array,
): LayerKey {
  const shared = x25519(ephemeral, hopPublicKey);
  return { encType, key: deriveKey(encType, shared, ephemeral.publicKey, hopPublicKey) };
}

/** Hop (relay, storage node or server) side: the same key, from the hop's own pair. */
export function hopLayerKey(
  encType: OnionEncType,
  hop: X25519KeyPair,
  ephemeralPublicKey: Uint8Array,
): LayerKey {
  const shared = x25519(hop, ephemeralPublicKey);
  return { encType, key: deriveKey(encType, shared, ephemeralPublicKey, hop.publicKey) };
}

/**
 * Seals one layer: IV(12) ‖ AES-256-GCM ‖ tag, or nonce(24) ‖ XChaCha20-Poly1305 ‖ tag; no AAD.
 * `nonce` is for reproducing published vectors only; leave it out everywhere else.
 */
export function encryptLayer(layerKey: LayerKey, plaintext: Uint8Array, nonce?: Uint8Array): Uint8Array {
  const key = requireBytes(layerKey.key, 32, 'layer key');
  if (layerKey.encType === 'aes-gcm') {
    const iv = nonce ? requireBytes(nonce, GCM_IV_BYTES, 'GCM IV') : randomBytes(GCM_IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
    return concatBytes(iv, body, cipher.getAuthTag());
  }
  const sodiumLib = sodium();
  const n = nonce
    ? requireBytes(nonce, XCHACHA_NONCE_BYTES, 'XChaCha nonce')
    : sodiumLib.randombytes_buf(XCHACHA_NONCE_BYTES);
  return concatBytes(n, sodiumLib.crypto_aead_xchacha20poly1305_ietf_encrypt(plaintext, null, null, n, key));
}

/** Opens one layer; a wrong key, a changed byte or a short input is DECRYPT_FAILED. */
export function decryptLayer(layerKey: LayerKey, ciphertext: Uint8Array): Uint8Array {
  const key = requireBytes(layerKey.key, 32, 'layer key');
  if (ciphertext.length < layerOverhead(layerKey.encType)) {
    throw new CryptoError('DECRYPT_FAILED', `onion layer too short (${ciphertext.length} bytes)`);
  }
  if (layerKey.encType === 'aes-gcm') {
    const iv = ciphertext.subarray(0, GCM_IV_BYTES);
    const tag = ciphertext.subarray(ciphertext.length - TAG_BYTES);
    const body = ciphertext.subarray(GCM_IV_BYTES, ciphertext.length - TAG_BYTES);
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, iv);
      decipher.setAuthTag(tag);
      const plaintext = decipher.update(body);
      decipher.final(); // checks the tag; GCM has no bytes left to give
      return plaintext;
    } catch {
      throw new CryptoError('DECRYPT_FAILED', 'onion layer failed AES-GCM authentication');
    }
  }
  const n = ciphertext.subarray(0, XCHACHA_NONCE_BYTES);
  try {
    return sodium().crypto_aead_xchacha20poly1305_ietf_decrypt(
      null,
      ciphertext.subarray(XCHACHA_NONCE_BYTES),
      null,
      n,
      key,
    );
  } catch {
    throw new CryptoError('DECRYPT_FAILED', 'onion layer failed XChaCha20-Poly1305 authentication');
  }
}

/**
 * X25519 through node:crypto (OpenSSL): 1.5-2x libsodium's WebAssembly build, on the path every
 * relay and node walks per request. JWK is node's cheapest way in for raw keys (DER goes through
 * OpenSSL's slower decoder); a hop's own key is imported once and reused.
 */
function x25519(own: X25519KeyPair, peerPublicKey: Uint8Array): Uint8Array {
  requireBytes(own.secretKey, 32, 'X25519 secret key');
  requireBytes(peerPublicKey, 32, 'X25519 public key');
  const publicKey = createPublicKey({ key: { kty: 'OKP', crv: 'X25519', x: base64url(peerPublicKey) }, format: 'jwk' });
  try {
    return diffieHellman({ privateKey: privateKeyObject(own), publicKey });
  } catch {
    // OpenSSL refuses low-order points (all-zero shared secret): a hostile ephemeral key.
    throw new CryptoError('BAD_KEY', 'X25519 key agreement failed (low-order public key)');
  }
}

/** Imported private keys by secret-key array; the bytes are compared, in case the array was reused. */
const privateKeys = new WeakMap<Uint8Array, { secret: Buffer; key: KeyObject }>();

function privateKeyObject(own: X25519KeyPair): KeyObject {
  const cached = privateKeys.get(own.secretKey);
  if (cached && cached.secret.equals(own.secretKey)) return cached.key;
  // Node requires `x` in a private JWK but derives the public key from `d` alone.
  const key = createPrivateKey({
    key: { kty: 'OKP', crv: 'X25519', d: base64url(own.secretKey), x: base64url(own.publicKey) },
    format: 'jwk',
  });
  privateKeys.set(own.secretKey, { secret: Buffer.from(own.secretKey), key });
  return key;
}

function base64url(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64url');
}

function deriveKey(
  encType: OnionEncType,
  shared: Uint8Array,
  clientPublicKey: Uint8Array,
  hopPublicKey: Uint8Array,
): Uint8Array {
  if (encType === 'aes-gcm') {
    return new Uint8Array(createHmac('sha256', GCM_KEY_LABEL).update(shared).digest());
  }
  // The client's key comes first whichever side computes it, so both derive the same bytes.
  return blake2b(concatBytes(shared, clientPublicKey, hopPublicKey), 32);
}
