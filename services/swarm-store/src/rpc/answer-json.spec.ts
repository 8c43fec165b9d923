import { RawJson, stringifyAnswer } from './answer-json';

describe('stringifyAnswer', () => {
  it('is JSON.stringify for answers without RawJson', () => {
    const body = { swarm: { ab: { hash: 'h', expiry: 1, already: true } }, list: ['a"b', 'c\\d', '\u0000'], n: null, t: 17 };
    expect(stringifyAnswer(body)).toBe(JSON.stringify(body));
  });

  it('places RawJson text where it stands, at any depth', () => {
    const messages = new RawJson('[{"hash":"x","data":"QQ=="}]');
    const body = { results: [{ code: 200, body: { messages, more: false } }, { code: 400, body: 'bad' }] };
    const text = stringifyAnswer(body);
    expect(JSON.parse(text)).toEqual({ results: [{ code: 200, body: { messages: [{ hash: 'x', data: 'QQ==' }], more: false } }, { code: 400, body: 'bad' }] });
    expect(stringifyAnswer(messages)).toBe(messages.text);
  });
});
