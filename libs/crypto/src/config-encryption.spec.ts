import { fromHex, toHex, utf8 } from './encoding';
import { configPaddedSize, decryptConfig, encryptConfig, padConfig, CONFIG_ENCRYPTION_OVERHEAD } from './config-encryption';
import { ready } from './sodium';
import { configEncryptionVectors, configNonceVectors } from './vectors/config.vectors';
import { configPaddingVectors } from './vectors/padding.vectors';
import { errorCodeOf } from '../test/expect-crypto-error';


beforeAll(ready);

describe.each(configEncryptionVectors)('config vector $name', (v) => {
  const key = () => fromHex(v.keyBase, 32);

  it('encrypts to the published bytes with the nonce last', () => {
    const out = encryptConfig(utf8(v.plaintext), key(), v.domain);
    expect(toHex(out)).toBe(v.ciphertext);
    expect(toHex(out.subarray(out.length - 24))).toBe(v.nonce);
  });

  it('decrypts the published bytes', () => {
    expect(Buffer.from(decryptConfig(fromHex(v.ciphertext), key(), v.domain)).toString()).toBe(v.plaintext);
  });

  it('refuses any flipped byte, another domain, another key, a truncation', () => {
    const ciphertext = fromHex(v.ciphertext);
    for (let at = 0; at < ciphertext.length; at++) {
      const tampered = ciphertext.slice();
      tampered[at] ^= 4;
      expect(errorCodeOf(() => decryptConfig(tampered, key(), v.domain))).toBe('DECRYPT_FAILED');
    }
    expect(errorCodeOf(() => decryptConfig(ciphertext, key(), v.domain + 'x'))).toBe('DECRYPT_FAILED');
    expect(errorCodeOf(() => decryptConfig(ciphertext, new Uint8Array(32), v.domain))).toBe('DECRYPT_FAILED');
    expect(errorCodeOf(() => decryptConfig(ciphertext.subarray(1), key(), v.domain))).toBe('DECRYPT_FAILED');
    expect(errorCodeOf(() => decryptConfig(ciphertext.subarray(0, CONFIG_ENCRYPTION_OVERHEAD - 1), key(), v.domain))).toBe('DECRYPT_FAILED');
  });
});

describe.each(configNonceVectors)('config nonce for $domain', (v) => {
  it('is the published nonce', () => {
    const key = fromHex(configEncryptionVectors[0].keyBase);
    const out = encryptConfig(utf8(v.plaintext), key, v.domain);
    expect(toHex(out.subarray(out.length - 24))).toBe(v.nonce);
    expect(Buffer.from(decryptConfig(out, key, v.domain)).toString()).toBe(v.plaintext);
  });
});

describe('config padding', () => {
  it.each(configPaddingVectors)('padded_size($size, $overhead) = $padded', ({ size, overhead, padded }) => {
    expect(configPaddedSize(size, overhead)).toBe(padded);
  });

  it('prefixes zeros', () => {
    const out = padConfig(utf8('d1:#i1ee'), 10);
    expect(out.length).toBe(246);
    expect(out.subarray(0, 246 - 8).every((b) => b === 0)).toBe(true);
    expect(Buffer.from(out.subarray(246 - 8)).toString()).toBe('d1:#i1ee');
  });

  it('refuses bad key bases and domains', () => {
    expect(errorCodeOf(() => encryptConfig(utf8('x'), new Uint8Array(31), 'd'))).toBe('BAD_LENGTH');
    expect(errorCodeOf(() => encryptConfig(utf8('x'), new Uint8Array(32), ''))).toBe('BAD_LENGTH');
    expect(errorCodeOf(() => encryptConfig(utf8('x'), new Uint8Array(32), 'd'.repeat(25)))).toBe('BAD_LENGTH');
  });
});
