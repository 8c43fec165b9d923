// Legacy attachment encryption (client.md 5.1), still desktop's default: AES-256-CBC then
// HMAC-SHA256 over IV ‖ ciphertext, with a 64-byte key (AES ‖ MAC) and a SHA-256 digest of the
// whole blob carried in the AttachmentPointer. Padding hides the exact file size.
import { createCipheriv, createDecipheriv, createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { concatBytes, requireBytes } from './encoding';
import { CryptoError } from './errors';

/** The file server's upload limit; padding never pushes a file past it. */
export const MAX_ATTACHMENT_BYTES = 10_000_000;
const MIN_PADDED_BYTES = 541;
const KEY_BYTES = 64;
const IV_BYTES = 16;
const MAC_BYTES = 32;
const AES_BLOCK = 16;

export interface EncryptedAttachment {
  /** IV ‖ AES-256-CBC ciphertext ‖ HMAC: what is uploaded. */
  blob: Uint8Array;
  /** AES key ‖ HMAC key (pointer `key`). */
  key: Uint8Array;
  /** SHA-256 of `blob` (pointer `digest`). */
  digest: Uint8Array;
  /** Unpadded length (pointer `size`). */
  size: number;
}

/** Desktop's bucket: 1.05^k steps from 541 bytes, capped at the upload limit. */
export function attachmentPaddedSize(size: number): number {
  const padded = Math.max(MIN_PADDED_BYTES, Math.floor(Math.pow(1.05, Math.ceil(Math.log(size) / Math.log(1.05)))));
  return padded > MAX_ATTACHMENT_BYTES && size <= MAX_ATTACHMENT_BYTES ? MAX_ATTACHMENT_BYTES : padded;
}

/**
 * Encrypts a file. `pad` is true for 1:1 attachments and false for community uploads, which are
 * not padded. `key` and `iv` exist to pin test output; leave them out otherwise.
 */
export function encryptAttachment(
  data: Uint8Array,
  options: { pad: boolean; key?: Uint8Array; iv?: Uint8Array },
): EncryptedAttachment {
  const key = options.key
    ? requireBytes(options.key, KEY_BYTES, 'attachment key')
    : new Uint8Array(randomBytes(KEY_BYTES));
  const iv = options.iv ? requireBytes(options.iv, IV_BYTES, 'attachment IV') : new Uint8Array(randomBytes(IV_BYTES));
  let plaintext = data;
  if (options.pad) {
    plaintext = new Uint8Array(Math.max(attachmentPaddedSize(data.length), data.length));
    plaintext.set(data);
  }
  const cipher = createCipheriv('aes-256-cbc', key.subarray(0, 32), iv);
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  const mac = createHmac('sha256', key.subarray(32)).update(iv).update(ciphertext).digest();
  const blob = concatBytes(iv, ciphertext, mac);
  return { blob, key, digest: sha256(blob), size: data.length };
}

/**
 * Checks the MAC, then the digest, then decrypts, and cuts the padding off at `size` when given.
 * Any mismatch is DECRYPT_FAILED (BAD_CHECKSUM for the digest), never partial output.
 */
export function decryptAttachment(
  blob: Uint8Array,
  key: Uint8Array,
  digest: Uint8Array,
  size?: number,
): Uint8Array {
  requireBytes(key, KEY_BYTES, 'attachment key');
  requireBytes(digest, 32, 'attachment digest');
  const bodyLength = blob.length - IV_BYTES - MAC_BYTES;
  if (bodyLength < AES_BLOCK || bodyLength % AES_BLOCK !== 0) {
    throw new CryptoError('DECRYPT_FAILED', `attachment blob has an impossible length (${blob.length} bytes)`);
  }
  const iv = blob.subarray(0, IV_BYTES);
  const ciphertext = blob.subarray(IV_BYTES, IV_BYTES + bodyLength);
  const mac = createHmac('sha256', key.subarray(32)).update(iv).update(ciphertext).digest();
  if (!timingSafeEqual(mac, blob.subarray(IV_BYTES + bodyLength))) {
    throw new CryptoError('DECRYPT_FAILED', 'attachment MAC does not match');
  }
  if (!timingSafeEqual(sha256(blob), digest)) {
    throw new CryptoError('BAD_CHECKSUM', 'attachment digest does not match');
  }
  let plaintext: Uint8Array;
  try {
    const decipher = createDecipheriv('aes-256-cbc', key.subarray(0, 32), iv);
    plaintext = new Uint8Array(Buffer.concat([decipher.update(ciphertext), decipher.final()]));
  } catch {
    throw new CryptoError('DECRYPT_FAILED', 'attachment padding is invalid');
  }
  if (size === undefined) return plaintext;
  if (!Number.isSafeInteger(size) || size < 0 || size > plaintext.length) {
    throw new CryptoError('BAD_LENGTH', `attachment size ${size} exceeds its ${plaintext.length} decrypted bytes`);
  }
  return plaintext.subarray(0, size);
}

function sha256(bytes: Uint8Array): Uint8Array {
  return new Uint8Array(createHash('sha256').update(bytes).digest());
}
