import { bytesEqual, concatBytes, fromBase64, fromHex, fromHexOrBase64, toBase64, toHex } from './encoding';
import { CryptoError } from './errors';

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    if (err instanceof CryptoError) return err.code;
    throw err;
  }
  return undefined;
}

describe('hex', () => {
  it('round-trips and accepts either case', () => {
    expect(toHex(fromHex('00ff10Ab'))).toBe('00ff10ab');
    expect(fromHex('')).toEqual(new Uint8Array(0));
  });

  it.each(['0', 'abc', 'zz', '0x00', ' 00', '00 ', 'g0'])('rejects %j as BAD_ENCODING', (text) => {
    expect(codeOf(() => fromHex(text))).toBe('BAD_ENCODING');
  });

  it('checks the expected length', () => {
    expect(codeOf(() => fromHex('0011', 3))).toBe('BAD_LENGTH');
    expect(fromHex('001122', 3)).toHaveLength(3);
  });
});

describe('base64', () => {
  it('round-trips padded and unpadded', () => {
    const bytes = Uint8Array.of(1, 2, 3, 4);
    expect(toBase64(bytes)).toBe('AQIDBA==');
    expect(toBase64(bytes, false)).toBe('AQIDBA');
    expect(fromBase64('AQIDBA==')).toEqual(bytes);
    expect(fromBase64('AQIDBA')).toEqual(bytes);
  });

  it.each([
    ['url-safe alphabet', 'AQ-_'],
    ['whitespace', 'AQID BA=='],
    ['impossible length', 'AQIDB'],
    ['padding on a wrong length', 'AQIDBA='],
    ['too much padding', 'AQ==='],
    ['stray trailing bits', 'AR=='],
    ['padding in the middle', 'AQ==AQ=='],
  ])('rejects %s', (_name, text) => {
    expect(codeOf(() => fromBase64(text))).toBe('BAD_ENCODING');
  });

  it('checks the expected length', () => {
    expect(codeOf(() => fromBase64('AQIDBA==', 5))).toBe('BAD_LENGTH');
  });
});

describe('fromHexOrBase64', () => {
  it('reads 2*size characters as hex, anything else as base64', () => {
    const nonce = fromHex('09d0799f2295990182c3ab3406fbfc5b');
    expect(fromHexOrBase64('09d0799f2295990182c3ab3406fbfc5b', 16)).toEqual(nonce);
    expect(fromHexOrBase64('CdB5nyKVmQGCw6s0Bvv8Ww==', 16)).toEqual(nonce);
    expect(fromHexOrBase64('CdB5nyKVmQGCw6s0Bvv8Ww', 16)).toEqual(nonce);
    expect(codeOf(() => fromHexOrBase64('CdB5nyKVmQGCw6s0Bvv8', 16))).toBe('BAD_LENGTH');
    expect(codeOf(() => fromHexOrBase64('zz'.repeat(16), 16))).toBe('BAD_ENCODING');
  });
});

describe('byte helpers', () => {
  it('concatenates and compares', () => {
    const joined = concatBytes(Uint8Array.of(1), Uint8Array.of(), Uint8Array.of(2, 3));
    expect(joined).toEqual(Uint8Array.of(1, 2, 3));
    expect(bytesEqual(joined, Uint8Array.of(1, 2, 3))).toBe(true);
    expect(bytesEqual(joined, Uint8Array.of(1, 2, 4))).toBe(false);
    expect(bytesEqual(joined, Uint8Array.of(1, 2))).toBe(false);
  });
});
