// Config messages (own-swarm namespaces, client.md 9.5): XChaCha20-Poly1305 with a nonce derived
// from the plaintext, so the same config always encrypts to the same bytes and the swarm can drop
// duplicates. The key mixes in the length and a domain so a nonce collision alone is not enough.
import { concatBytes, requireBytes } from './encoding';
import { CryptoError } from './errors';
import { blake2b } from './signing';
import { sodium } from './sodium';

const NONCE_BYTES = 24;
const TAG_BYTES = 16;
/** Bytes encryption adds (tag + trailing nonce). */
export const CONFIG_ENCRYPTION_OVERHEAD = TAG_BYTES + NONCE_BYTES;
const NONCE_KEY_PREFIX = 'libsessionutil-config-encrypted-';
const MAX_DOMAIN_BYTES = 24;

/** XChaCha20-Poly1305(plaintext) ‖ nonce, under a key derived from `keyBase` (32 bytes) and `domain`. */
export function encryptConfig(plaintext: Uint8Array, keyBase: Uint8Array, domain: string): Uint8Array {
  const key = configKey(keyBase, plaintext.length, domain);
  const nonce = blake2b(plaintext, NONCE_BYTES, NONCE_KEY_PREFIX + domain);
  return concatBytes(sodium().crypto_aead_xchacha20poly1305_ietf_encrypt(plaintext, null, null, nonce, key), nonce);
}

/** Wrong key or domain, a changed byte or a short input → DECRYPT_FAILED. */
export function decryptConfig(ciphertext: Uint8Array, keyBase: Uint8Array, domain: string): Uint8Array {
  if (!(ciphertext instanceof Uint8Array) || ciphertext.length < CONFIG_ENCRYPTION_OVERHEAD) {
    throw new CryptoError('DECRYPT_FAILED', 'config ciphertext is too short');
  }
  const key = configKey(keyBase, ciphertext.length - CONFIG_ENCRYPTION_OVERHEAD, domain);
  const nonceAt = ciphertext.length - NONCE_BYTES;
  try {
    return sodium().crypto_aead_xchacha20poly1305_ietf_decrypt(
      null,
      ciphertext.subarray(0, nonceAt),
      null,
      ciphertext.subarray(nonceAt),
      key,
    );
  } catch {
    throw new CryptoError('DECRYPT_FAILED', 'config message failed authentication');
  }
}

/**
 * libsession's padded size for a config of `size` bytes that will gain `overhead` bytes: the total
 * is rounded up to a block that grows with the message (256 B, 1 KiB, 2 KiB, 5 KiB).
 */
export function configPaddedSize(size: number, overhead = 0): number {
  const total = size + overhead;
  const block = total < 5 * 1024 ? 256 : total < 20 * 1024 ? 1024 : total < 40 * 1024 ? 2048 : 5120;
  return Math.ceil(total / block) * block - overhead;
}

/** Zero bytes are prefixed (a bencoded config starts with 'd', so readers skip them). */
export function padConfig(data: Uint8Array, overhead = 0): Uint8Array {
  const size = configPaddedSize(data.length, overhead);
  if (size <= data.length) return data;
  const out = new Uint8Array(size);
  out.set(data, size - data.length);
  return out;
}

function configKey(keyBase: Uint8Array, plaintextLength: number, domain: string): Uint8Array {
  requireBytes(keyBase, 32, 'config key base');
  const domainBytes = Buffer.from(domain, 'utf8');
  if (domainBytes.length < 1 || domainBytes.length > MAX_DOMAIN_BYTES) {
    throw new CryptoError('BAD_LENGTH', `config domain must be 1..${MAX_DOMAIN_BYTES} bytes`);
  }
  const length = new Uint8Array(8);
  new DataView(length.buffer).setBigUint64(0, BigInt(plaintextLength), false);
  return blake2b(concatBytes(keyBase, length, domainBytes), 32);
}
