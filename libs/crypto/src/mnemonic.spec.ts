import { expectCryptoError } from '../test/expect-crypto-error';
import { fromHex, toHex } from './encoding';
import { mnemonicToSeed, recoveryPhraseForSeed, seedToMnemonic } from './mnemonic';
import { identityFromSeed } from './identity';
import { ready } from './sodium';
import { mnemonicVectors } from './vectors/identity.vectors';
import { randomBytes } from 'crypto';

beforeAll(ready);

describe('recovery phrase vectors', () => {
  it.each(mnemonicVectors.map((v) => [v.source, v] as const))('%s', (_source, v) => {
    expect(seedToMnemonic(fromHex(v.seed))).toBe(v.phrase);
    expect(toHex(mnemonicToSeed(v.phrase))).toBe(v.seed);
  });
});

describe('recoveryPhraseForSeed', () => {
  it('gives 13 words for a zero-extended account seed and 25 for a full 32-byte seed', () => {
    for (const v of mnemonicVectors) {
      expect(recoveryPhraseForSeed(identityFromSeed(fromHex(v.seed)).seed)).toBe(v.phrase);
    }
    expectCryptoError(() => recoveryPhraseForSeed(new Uint8Array(16)), 'BAD_LENGTH');
  });
});

describe('recovery phrase round trip', () => {
  it('decodes what it encodes for random 16- and 32-byte seeds', () => {
    for (let i = 0; i < 200; i++) {
      const seed = new Uint8Array(randomBytes(i % 2 ? 16 : 32));
      expect(toHex(mnemonicToSeed(seedToMnemonic(seed)))).toBe(toHex(seed));
    }
  });

  it('ignores case, extra whitespace and letters after the 3-letter prefix', () => {
    const phrase = mnemonicVectors[0].phrase;
    const sloppy = '  ' + phrase.toUpperCase().split(' ').map((w) => w.slice(0, 3) + 'xyz').join('  \t') + '\n';
    expect(toHex(mnemonicToSeed(sloppy))).toBe(mnemonicVectors[0].seed);
  });
});

describe('recovery phrase errors', () => {
  const words = mnemonicVectors[0].phrase.split(' ');

  it.each([1, 11, 12, 14, 24, 26])('rejects %i words as BAD_LENGTH', (count) => {
    const phrase = Array.from({ length: count }, (_, i) => words[i % words.length]).join(' ');
    const err = expectCryptoError(() => mnemonicToSeed(phrase), 'BAD_LENGTH');
    expect(err.message).toContain(`got ${count}`);
  });

  it('says the checksum word is missing for 12 words', () => {
    const err = expectCryptoError(() => mnemonicToSeed(words.slice(0, 12).join(' ')), 'BAD_LENGTH');
    expect(err.message).toMatch(/checksum word is missing/);
  });

  it('rejects an empty phrase', () => {
    expectCryptoError(() => mnemonicToSeed('   '), 'BAD_LENGTH');
  });

  it('rejects an unknown word, naming its position', () => {
    const bad = [...words];
    bad[4] = 'qqqqq';
    const err = expectCryptoError(() => mnemonicToSeed(bad.join(' ')), 'UNKNOWN_WORD');
    expect(err.message).toContain('word 5');
  });

  it('rejects a word shorter than the prefix', () => {
    const bad = [...words];
    bad[0] = 'am';
    expectCryptoError(() => mnemonicToSeed(bad.join(' ')), 'UNKNOWN_WORD');
  });

  it('rejects a wrong checksum word', () => {
    const bad = [...words];
    bad[12] = 'abbey';
    expectCryptoError(() => mnemonicToSeed(bad.join(' ')), 'BAD_CHECKSUM');
  });

  it('rejects swapped data words through the checksum', () => {
    const bad = [...words];
    [bad[0], bad[1]] = [bad[1], bad[0]];
    expectCryptoError(() => mnemonicToSeed(bad.join(' ')), 'BAD_CHECKSUM');
  });

  it('rejects a triple that encodes more than 32 bits ("abbey abbey zoom")', () => {
    // Build a phrase whose first triple is abbey abbey zoom, with a correct checksum word.
    const data = ['abbey', 'abbey', 'zoom', ...Array(9).fill('abbey')];
    const candidates = data.map((w) => `${data.join(' ')} ${w}`);
    const withGoodChecksum = candidates.filter((p) => {
      try {
        mnemonicToSeed(p);
        return true;
      } catch (err) {
        return (err as { code?: string }).code !== 'BAD_CHECKSUM';
      }
    });
    expect(withGoodChecksum.length).toBeGreaterThan(0);
    expectCryptoError(() => mnemonicToSeed(withGoodChecksum[0]), 'MALFORMED');
  });

  it.each([0, 15, 17, 31, 33])('refuses to encode a %i-byte seed', (n) => {
    expectCryptoError(() => seedToMnemonic(new Uint8Array(n)), 'BAD_LENGTH');
  });
});
