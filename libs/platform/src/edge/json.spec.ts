import { MAX_JSON_DEPTH, nestingDepth, parseJson, RawJson, stringifyJson, valueDepth } from './json';

describe('parseJson', () => {
  const deep = (n: number) => '['.repeat(n) + ']'.repeat(n);

  it.each([
    ['{"method":"info","params":{}}', { ok: true, value: { method: 'info', params: {} } }],
    ['"a string with [[[ brackets"', { ok: true, value: 'a string with [[[ brackets' }],
    ['{"k":"escaped \\" quote ["}', { ok: true, value: { k: 'escaped " quote [' } }],
    ['{', { ok: false, error: 'invalid request: body is not valid JSON' }],
    ['', { ok: false, error: 'invalid request: body is not valid JSON' }],
  ])('parses %j', (text, expected) => {
    expect(parseJson(text)).toEqual(expected);
  });

  it('takes 32 levels and refuses 33, or 10,000, without parsing', () => {
    expect(parseJson(deep(MAX_JSON_DEPTH)).ok).toBe(true);
    expect(parseJson(deep(MAX_JSON_DEPTH + 1))).toEqual({ ok: false, error: 'invalid request: JSON nested deeper than 32 levels' });
    expect(parseJson(deep(10_000))).toEqual({ ok: false, error: 'invalid request: JSON nested deeper than 32 levels' });
  });

  it('measures depth of text and of parsed values alike', () => {
    expect(nestingDepth('{"a":[1,{"b":[]}]}')).toBe(4);
    expect(valueDepth(JSON.parse('{"a":[1,{"b":[]}]}'))).toBe(4);
    expect(valueDepth('scalar')).toBe(0);
    let v: unknown = [];
    for (let i = 0; i < 10_000; i++) v = [v];
    expect(valueDepth(v)).toBe(MAX_JSON_DEPTH + 1);
  });
});

describe('stringifyJson', () => {
  it('is JSON.stringify for values without RawJson', () => {
    const body = { swarm: { ab: { hash: 'h', expiry: 1, already: true } }, list: ['a"b', 'c\\d', '\u0000'], n: null, t: 17 };
    expect(stringifyJson(body)).toBe(JSON.stringify(body));
  });

  it('places RawJson text where it stands, at any depth', () => {
    const messages = new RawJson('[{"hash":"x","data":"QQ=="}]');
    const body = { results: [{ code: 200, body: { messages, more: false } }, { code: 400, body: 'bad' }] };
    const text = stringifyJson(body);
    expect(JSON.parse(text)).toEqual({ results: [{ code: 200, body: { messages: [{ hash: 'x', data: 'QQ==' }], more: false } }, { code: 400, body: 'bad' }] });
    expect(stringifyJson(messages)).toBe(messages.text);
  });
});
