import { createCipheriv, createHash, createHmac } from 'node:crypto';
import { utf8 } from './encoding';
import { attachmentPaddedSize, decryptAttachment, encryptAttachment, MAX_ATTACHMENT_BYTES } from './attachment-encryption';
import { attachmentPaddingVectors } from './vectors/padding.vectors';
import { errorCodeOf } from '../test/expect-crypto-error';


describe('attachment padding', () => {
  it.each(attachmentPaddingVectors)('$size bytes pad to $padded', ({ size, padded }) => {
    expect(attachmentPaddedSize(size)).toBe(padded);
  });

  it('grows in 5% steps and never shrinks a file', () => {
    for (const size of [0, 542, 1000, 65_536, 1_000_000, 9_999_999]) {
      const padded = attachmentPaddedSize(size);
      expect(padded).toBeGreaterThanOrEqual(size);
      expect(padded).toBeLessThanOrEqual(Math.max(541, Math.ceil(size * 1.05)));
    }
    expect(attachmentPaddedSize(9_999_999)).toBe(MAX_ATTACHMENT_BYTES);
  });
});

describe('legacy attachment encryption', () => {
  const file = utf8('a picture of a starling');

  it('round-trips, padded, with the documented layout', () => {
    const encrypted = encryptAttachment(file, { pad: true });
    expect(encrypted.key.length).toBe(64);
    expect(encrypted.size).toBe(file.length);
    // IV 16 ‖ CBC of 541 bytes (PKCS#7 to 544) ‖ HMAC 32
    expect(encrypted.blob.length).toBe(16 + 544 + 32);
    expect(encrypted.digest).toEqual(new Uint8Array(createHash('sha256').update(encrypted.blob).digest()));
    expect(decryptAttachment(encrypted.blob, encrypted.key, encrypted.digest, encrypted.size)).toEqual(file);
    const withPadding = decryptAttachment(encrypted.blob, encrypted.key, encrypted.digest);
    expect(withPadding.length).toBe(541);
    expect(withPadding.subarray(file.length).every((b) => b === 0)).toBe(true);
  });

  it('does not pad community uploads', () => {
    const encrypted = encryptAttachment(file, { pad: false });
    expect(encrypted.blob.length).toBe(16 + 32 + 32);
    expect(decryptAttachment(encrypted.blob, encrypted.key, encrypted.digest)).toEqual(file);
  });

  it('is reproducible from a fixed key and IV (HMAC over IV ‖ ciphertext)', () => {
    const key = Uint8Array.from({ length: 64 }, (_, i) => i);
    const iv = new Uint8Array(16).fill(7);
    const a = encryptAttachment(file, { pad: false, key, iv });
    expect(a.blob).toEqual(encryptAttachment(file, { pad: false, key, iv }).blob);
    expect(a.blob.subarray(0, 16)).toEqual(iv);
    // Checked with node's primitives directly: AES-256-CBC under key[0..32], HMAC under key[32..].
    const cipher = createCipheriv('aes-256-cbc', key.subarray(0, 32), iv);
    const ciphertext = Buffer.concat([cipher.update(file), cipher.final()]);
    expect(Buffer.from(a.blob.subarray(16, -32))).toEqual(ciphertext);
    const mac = createHmac('sha256', key.subarray(32)).update(iv).update(ciphertext).digest();
    expect(Buffer.from(a.blob.subarray(-32))).toEqual(mac);
  });

  it('refuses a flipped byte anywhere, a wrong key, a wrong digest, truncation and a lying size', () => {
    const { blob, key, digest } = encryptAttachment(file, { pad: false });
    for (let at = 0; at < blob.length; at++) {
      const tampered = blob.slice();
      tampered[at] ^= 1;
      expect(errorCodeOf(() => decryptAttachment(tampered, key, digest))).toBe('DECRYPT_FAILED');
    }
    const otherKey = key.slice();
    otherKey[40] ^= 1;
    expect(errorCodeOf(() => decryptAttachment(blob, otherKey, digest))).toBe('DECRYPT_FAILED');
    const otherDigest = digest.slice();
    otherDigest[0] ^= 1;
    expect(errorCodeOf(() => decryptAttachment(blob, key, otherDigest))).toBe('BAD_CHECKSUM');
    for (const length of [0, 16, 47, blob.length - 1, blob.length - 16]) {
      expect(errorCodeOf(() => decryptAttachment(blob.subarray(0, length), key, digest))).toBe('DECRYPT_FAILED');
    }
    expect(errorCodeOf(() => decryptAttachment(blob, key, digest, file.length + 100))).toBe('BAD_LENGTH');
    expect(errorCodeOf(() => decryptAttachment(blob, key.subarray(0, 32), digest))).toBe('BAD_LENGTH');
  });
});
