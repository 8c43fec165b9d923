import { utf8 } from './encoding';
import {
  decodeV3Request,
  decodeV4Request,
  decodeV4Response,
  encodeV3Request,
  encodeV4Request,
  encodeV4Response,
  v4BadRequestResponse,
} from './onion-v4';
import { v4RequestVectors, v4ResponseVectors } from './vectors/onion-v4.vectors';
import { errorCodeOf } from '../test/expect-crypto-error';

const text = (bytes: Uint8Array) => Buffer.from(bytes).toString('utf8');
/** A well-formed bencoded list of the given strings, so a refusal is for the intended reason. */
const list = (...parts: string[]) => `l${parts.map((p) => `${Buffer.byteLength(p)}:${p}`).join('')}e`;

describe.each(v4RequestVectors)('v4 request vector: $name', (v) => {
  const request = { meta: v.meta, ...(v.body === undefined ? {} : { body: utf8(v.body) }) };

  it('encodes to the published bytes', () => {
    expect(text(encodeV4Request(request))).toBe(v.encoded);
  });

  it('decodes the published bytes', () => {
    expect(decodeV4Request(utf8(v.encoded))).toEqual(request);
  });
});

describe.each(v4ResponseVectors)('v4 response vector: $name', (v) => {
  it('encodes and decodes the published bytes', () => {
    const response = { code: v.code, headers: v.headers, body: utf8(v.body) };
    expect(text(encodeV4Response(response))).toBe(v.encoded);
    expect(decodeV4Response(utf8(v.encoded))).toEqual(response);
  });
});

describe('v4 framing', () => {
  it('carries binary bodies byte for byte, including an empty one', () => {
    for (const body of [new Uint8Array(0), Uint8Array.from({ length: 256 }, (_, i) => i)]) {
      const encoded = encodeV4Request({ meta: { method: 'PUT', endpoint: '/x', headers: {} }, body });
      expect(decodeV4Request(encoded).body).toEqual(body);
    }
  });

  it('lower-cases response headers and drops content-length', () => {
    const encoded = encodeV4Response({ code: 200, headers: { 'Content-Type': 'a/b', 'Content-Length': '3' }, body: utf8('abc') });
    expect(decodeV4Response(encoded).headers).toEqual({ 'content-type': 'a/b' });
  });

  it('has the pysogs bad-request answer', () => {
    expect(decodeV4Response(encodeV4Response(v4BadRequestResponse()))).toEqual({
      code: 400,
      headers: { 'content-type': 'text/plain; charset=utf-8' },
      body: utf8('Invalid v4 onion request'),
    });
  });

  it('defaults missing request headers to none', () => {
    expect(decodeV4Request(utf8(list('{"method":"GET","endpoint":"/rooms"}'))).meta.headers).toEqual({});
  });

  it.each([
    ['an empty input', ''],
    ['a dict', 'd1:a1:be'],
    ['an empty list', 'le'],
    ['three strings', 'l2:{}1:a1:be'],
    ['no terminator', 'l2:{}'],
    ['bytes after the terminator', 'l2:{}ee'],
    ['a length past the end', 'l99:{}e'],
    ['a leading-zero length', 'l02:{}e'],
    ['a negative length', 'l-2:{}e'],
    ['no colon', 'l2{}e'],
    ['an integer element', 'li5ee'],
    ['meta that is not JSON', list('abc')],
    ['meta that is an array', list('[]')],
    ['meta without method', list('{"endpoint":"/"}')],
    ['an endpoint without a slash', list('{"method":"GET","endpoint":"room"}')],
    ['a numeric header', list('{"method":"GET","endpoint":"/room","headers":{"X-A":1}}')],
    ['headers that are a list', list('{"method":"GET","endpoint":"/room","headers":[]}')],
  ])('refuses %s', (_name, encoded) => {
    expect(errorCodeOf(() => decodeV4Request(utf8(encoded)))).toBe('MALFORMED');
  });

  it.each([
    ['one string', list('{"code":200}')],
    ['a string code', list('{"code":"200"}', '')],
    ['no code', list('{}', '')],
  ])('refuses a response with %s', (_name, encoded) => {
    expect(errorCodeOf(() => decodeV4Response(utf8(encoded)))).toBe('MALFORMED');
  });
});

describe('v3 payload', () => {
  it('round-trips', () => {
    const request = { endpoint: 'rooms', method: 'GET', headers: { Authorization: 'x' } };
    expect(decodeV3Request(encodeV3Request(request))).toEqual(request);
  });

  it.each(['[]', '{"endpoint":"/x"}', '{"endpoint":"/x","method":"POST","body":{}}', 'nope'])('refuses %s', (json) => {
    expect(errorCodeOf(() => decodeV3Request(utf8(json)))).toBe('MALFORMED');
  });
});
