import { utf8 } from './encoding';
import { padMessage, paddedMessageLength, unpadMessage } from './padding';
import { desktopPaddedLength, messagePaddingVectors } from './vectors/padding.vectors';

describe('Content padding', () => {
  it.each(messagePaddingVectors)('$length bytes pad to $padded', ({ length, padded }) => {
    const content = new Uint8Array(length).fill(0x41);
    expect(paddedMessageLength(length)).toBe(padded);
    const out = padMessage(content);
    expect(out.length).toBe(padded);
    expect(out[length]).toBe(0x80);
    expect(out.subarray(length + 1).every((b) => b === 0)).toBe(true);
    expect(unpadMessage(out)).toEqual(content);
  });

  it('unpads desktop padding (5 bytes -> 159)', () => {
    const padded = new Uint8Array(desktopPaddedLength.padded);
    padded.set(utf8('hello'));
    padded[5] = 0x80;
    expect(unpadMessage(padded)).toEqual(utf8('hello'));
  });

  it('keeps content that ends in zeros and 0x80 intact through pad/unpad', () => {
    const content = Uint8Array.of(1, 0x80, 0, 0);
    expect(unpadMessage(padMessage(content))).toEqual(content);
  });

  it('takes unpadded input as it is', () => {
    expect(unpadMessage(utf8('hello'))).toEqual(utf8('hello'));
    expect(unpadMessage(Uint8Array.of(1, 2, 0, 0))).toEqual(Uint8Array.of(1, 2, 0, 0));
    expect(unpadMessage(new Uint8Array(3))).toEqual(new Uint8Array(3));
    expect(unpadMessage(new Uint8Array(0))).toEqual(new Uint8Array(0));
  });
});
