import { fromHex, utf8 } from './encoding';
import { decodeOnionFrame, encodeOnionFrame } from './onion-framing';
import { framedRequestVectors } from './vectors/onion.vectors';
import { errorCodeOf } from '../test/expect-crypto-error';

const withLength = (length: number, rest: Uint8Array) => {
  const out = new Uint8Array(4 + rest.length);
  new DataView(out.buffer).setUint32(0, length, true);
  out.set(rest, 4);
  return out;
};

describe('onion framing', () => {
  it.each(framedRequestVectors)('splits the published $name request', (v) => {
    const frame = decodeOnionFrame(fromHex(v.request));
    expect(frame.payload.length).toBe(v.payloadLength);
    expect(frame.meta).toEqual({ enc_type: v.wireEncType, ephemeral_key: v.client.publicKey });
  });

  it('round-trips payload and meta, including an empty payload', () => {
    for (const payload of [new Uint8Array(0), utf8('abc'), new Uint8Array(1000).fill(9)]) {
      const meta = { destination: 'ab'.repeat(32), hop_no: 3, nested: { ok: true } };
      const frame = decodeOnionFrame(encodeOnionFrame(payload, meta));
      expect(frame.payload).toEqual(payload);
      expect(frame.meta).toEqual(meta);
    }
  });

  it('writes the length little-endian', () => {
    expect(Array.from(encodeOnionFrame(new Uint8Array(0x0102), {}).subarray(0, 4))).toEqual([2, 1, 0, 0]);
  });

  describe('rejects', () => {
    it.each([
      ['an empty blob', new Uint8Array(0), 'BAD_LENGTH'],
      ['a blob shorter than the prefix', Uint8Array.of(1, 0, 0), 'BAD_LENGTH'],
      ['a length past the end', withLength(10, utf8('abc{}')), 'BAD_LENGTH'],
      ['an absurd length', withLength(0xffffffff, utf8('{}')), 'BAD_LENGTH'],
      ['a length that swallows the JSON', withLength(5, utf8('abc{}')), 'MALFORMED'],
      ['no JSON', withLength(3, utf8('abc')), 'MALFORMED'],
      ['bad JSON', withLength(3, utf8('abc{"a":')), 'MALFORMED'],
      ['a JSON array', withLength(0, utf8('[1,2]')), 'MALFORMED'],
      ['JSON null', withLength(0, utf8('null')), 'MALFORMED'],
      ['a JSON string', withLength(0, utf8('"x"')), 'MALFORMED'],
      ['invalid UTF-8', withLength(0, Uint8Array.of(0x7b, 0xff, 0x7d)), 'MALFORMED'],
      ['trailing bytes after the JSON', withLength(0, utf8('{}{}')), 'MALFORMED'],
    ])('%s', (_name, blob, code) => {
      expect(errorCodeOf(() => decodeOnionFrame(blob))).toBe(code);
    });

    it('a blob over the size limit', () => {
      expect(errorCodeOf(() => decodeOnionFrame(encodeOnionFrame(new Uint8Array(100), {}), 64))).toBe('BAD_LENGTH');
    });
  });
});
