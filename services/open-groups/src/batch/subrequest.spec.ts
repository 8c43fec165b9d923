// /batch and /sequence subrequests: the body forms, the refusals, and answers folded into the list.
import { jsonReply, textReply } from '@starling/platform';
import { BadInput } from '../domain/errors';
import { batchAnswer, encodeSubresponse, parseSubrequest } from './subrequest';

describe('parseSubrequest', () => {
  it('takes json (with its content type), b64 and bytes bodies, and keeps the path as written', () => {
    expect(parseSubrequest({ method: 'post', path: '/room/x/message?a=%20', json: { a: 1 } })).toEqual({
      method: 'POST',
      path: '/room/x/message',
      query: 'a=%20',
      headers: { 'content-type': 'application/json' },
      body: Buffer.from('{"a":1}'),
    });
    expect(parseSubrequest({ method: 'PUT', path: '/x', headers: { 'Content-Type': 'a/b' }, json: null })).toMatchObject({ headers: { 'content-type': 'a/b' }, body: Buffer.from('null') });
    expect(parseSubrequest({ method: 'POST', path: '/x', b64: 'aGk=' }).body).toEqual(Buffer.from('hi'));
    expect(parseSubrequest({ method: 'POST', path: '/x', bytes: 'hé' }).body).toEqual(Buffer.from('hé', 'utf8'));
    expect(parseSubrequest({ method: 'GET', path: '/room/%F0%9F%8E%89' })).toMatchObject({ path: '/room/%F0%9F%8E%89', body: Buffer.alloc(0) });
  });

  it.each([
    ['not an object', [1], 'Invalid subrequest'],
    ['an unknown method', { method: 'PATCH', path: '/x' }, 'Invalid subrequest method'],
    ['a relative path', { method: 'GET', path: 'x' }, 'Invalid subrequest path'],
    ['a GET with a body', { method: 'GET', path: '/x', json: {} }, 'GET subrequests cannot have a body'],
    ['a POST with two bodies', { method: 'POST', path: '/x', json: {}, bytes: '' }, 'POST subrequests need exactly one of json, b64, bytes'],
    ['bad base64', { method: 'POST', path: '/x', b64: '***' }, 'Invalid subrequest b64 body'],
    ['a header that is not a string', { method: 'GET', path: '/x', headers: { a: 1 } }, 'Invalid subrequest headers: values must be strings'],
  ])('refuses %s', (_name, item, message) => {
    expect(() => parseSubrequest(item)).toThrow(new BadInput(message));
  });
});

describe('encodeSubresponse and batchAnswer', () => {
  const decoded = (bytes: Buffer) => JSON.parse(bytes.toString('utf8'));

  it('inlines JSON as written and base64-encodes anything else, without content-length', () => {
    const json = jsonReply(201, { id: 3, name: 'é' }, { 'Content-Length': '8' });
    expect(encodeSubresponse(json).toString()).toBe('{"code":201,"headers":{"content-type":"application/json"},"body":{"id":3,"name":"é"}}');
    expect(decoded(encodeSubresponse(textReply(403, 'no')))).toEqual({ code: 403, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: Buffer.from('no').toString('base64') });
    expect(decoded(encodeSubresponse({ status: 304, headers: {}, body: new Uint8Array() }))).toEqual({ code: 304, headers: {}, body: '' });
    expect(decoded(encodeSubresponse({ status: 200, headers: { 'content-type': 'application/json' }, body: new Uint8Array() }))).toMatchObject({ body: null });
  });

  it('lists the subresponses in order as one JSON array', async () => {
    const reply = await batchAnswer([encodeSubresponse(jsonReply(200, [1])), encodeSubresponse(textReply(404, 'x'))]);
    expect(reply.headers).toEqual({ 'content-type': 'application/json' });
    expect(decoded(Buffer.from(reply.body))).toEqual([
      { code: 200, headers: { 'content-type': 'application/json' }, body: [1] },
      { code: 404, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: Buffer.from('x').toString('base64') },
    ]);
    expect(Buffer.from((await batchAnswer([])).body).toString()).toBe('[]');
    const big = Array.from({ length: 40 }, (_, i) => encodeSubresponse(jsonReply(200, 'x'.repeat(100_000 + i))));
    expect(decoded(Buffer.from((await batchAnswer(big)).body)).map((a: { body: string }) => a.body.length)).toEqual(big.map((_, i) => 100_000 + i));
  });
});
