// One value encrypted separately for each of several X25519 recipients under one nonce
// (libsession multi_encrypt; groups.md 2.3): the key for sender a/A and recipient b/B is
// BLAKE2b-32(aB ‖ A ‖ B, key = domain) = BLAKE2b-32(bA ‖ A ‖ B, key = domain), so a recipient
// who knows the sender's key tries every ciphertext with its one key. Group key lists and the
// "you were removed" message use it; nothing here says who sent it (callers sign).
import { CryptoError, ed25519KeyPairFromSecret, ed25519PublicKeyToX25519, ed25519SecretKeyToX25519, sodium } from '@starling/crypto';
import { BtValue, BtWriter, bytesToBinary, binaryToBytes, decodeBt, isBtDict } from '../config/bencode';
import { keyedHash } from './keyed-hash';

export const MULTI_ENCRYPT_OVERHEAD = 16;
const NONCE_BYTES = 24;

export interface X25519Pair {
  secretKey: Uint8Array;
  publicKey: Uint8Array;
}

/** The pairwise key; `sender`/`recipient` are the two public keys in that role order. */
function pairKey(ownSecret: Uint8Array, otherPublic: Uint8Array, senderPublic: Uint8Array, recipientPublic: Uint8Array, domain: string): Uint8Array | undefined {
  let shared: Uint8Array;
  try {
    shared = sodium().crypto_scalarmult(ownSecret, otherPublic);
  } catch {
    return undefined; // a low-order point: libsession skips such a recipient
  }
  return keyedHash(32, domain.slice(0, 64), shared, senderPublic, recipientPublic);
}

/**
 * Encrypts `messages` (one for all, or one per recipient) for each recipient, in order. A
 * recipient key that is not a usable point is skipped, as libsession does with ignore_invalid.
 */
export function encryptForMultiple(messages: readonly Uint8Array[], recipients: readonly Uint8Array[], nonce: Uint8Array, sender: X25519Pair, domain: string): Uint8Array[] {
  if (nonce.length !== NONCE_BYTES) throw new CryptoError('BAD_LENGTH', 'multi-encryption nonce must be 24 bytes');
  if (messages.length !== 1 && messages.length !== recipients.length) throw new RangeError('give one message, or one per recipient');
  const out: Uint8Array[] = [];
  recipients.forEach((recipient, i) => {
    if (recipient.length !== 32) throw new CryptoError('BAD_LENGTH', 'recipient keys must be 32 bytes');
    const key = pairKey(sender.secretKey, recipient, sender.publicKey, recipient, domain);
    if (!key) return;
    const message = messages.length === 1 ? messages[0] : messages[i];
    out.push(sodium().crypto_aead_xchacha20poly1305_ietf_encrypt(message, null, null, nonce, key));
  });
  return out;
}

/** The first ciphertext that opens with our key, decrypted; undefined when none is for us. */
export function decryptForMultiple(ciphertexts: Iterable<Uint8Array>, nonce: Uint8Array, own: X25519Pair, senderPublic: Uint8Array, domain: string): Uint8Array | undefined {
  const key = pairKey(own.secretKey, senderPublic, senderPublic, own.publicKey, domain);
  if (!key) return undefined;
  for (const ciphertext of ciphertexts) {
    if (ciphertext.length < MULTI_ENCRYPT_OVERHEAD) continue;
    try {
      return sodium().crypto_aead_xchacha20poly1305_ietf_decrypt(null, ciphertext, null, nonce, key);
    } catch {
      // not ours: try the next
    }
  }
  return undefined;
}

/** X25519 keys of an Ed25519 secret key (64 bytes) or seed. */
export function x25519Pair(ed25519Secret: Uint8Array): X25519Pair {
  const { secretKey, publicKey } = ed25519KeyPairFromSecret(ed25519Secret);
  return { secretKey: ed25519SecretKeyToX25519(secretKey), publicKey: ed25519PublicKeyToX25519(publicKey) };
}

/** libsession's self-contained form: d 1:# nonce 1:e [ciphertexts] e. */
export function encryptForMultipleSimple(messages: readonly Uint8Array[], recipients: readonly Uint8Array[], senderEd25519Secret: Uint8Array, domain: string, nonce: Uint8Array = sodium().randombytes_buf(NONCE_BYTES)): Uint8Array {
  const encrypted = encryptForMultiple(messages, recipients, nonce, x25519Pair(senderEd25519Secret), domain);
  return new BtWriter().value(new Map<string, BtValue>([['#', bytesToBinary(nonce)], ['e', encrypted.map(bytesToBinary)]])).bytes();
}

/** Opens the self-contained form sent by the holder of `senderEd25519Public`; undefined when not for us. */
export function decryptForMultipleSimple(encoded: Uint8Array, ownEd25519Secret: Uint8Array, senderEd25519Public: Uint8Array, domain: string): Uint8Array | undefined {
  let nonce: Uint8Array;
  let ciphertexts: Uint8Array[];
  try {
    const d = decodeBt(encoded);
    if (!isBtDict(d)) return undefined;
    const n = d.get('#');
    const e = d.get('e');
    if (typeof n !== 'string' || n.length !== NONCE_BYTES || !Array.isArray(e)) return undefined;
    nonce = binaryToBytes(n);
    ciphertexts = e.filter((c): c is string => typeof c === 'string').map(binaryToBytes);
  } catch {
    return undefined;
  }
  return decryptForMultiple(ciphertexts, nonce, x25519Pair(ownEd25519Secret), ed25519PublicKeyToX25519(senderEd25519Public), domain);
}

