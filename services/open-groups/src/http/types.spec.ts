import { decodePath, sogsRequest } from './types';

describe('decodePath', () => {
  it('decodes percent escapes, and keeps raw UTF-8 or a stray % as sent', () => {
    expect(decodePath('/room/x/reaction/1/%F0%9F%9A%80')).toBe('/room/x/reaction/1/🚀');
    expect(decodePath('/room/x/reaction/1/🎉')).toBe('/room/x/reaction/1/🎉');
    expect(decodePath('/room/x/reaction/1/100%')).toBe('/room/x/reaction/1/100%');
  });

  it('gives routes the decoded path and the raw query, and never the peer', () => {
    const req = sogsRequest({ method: 'GET', path: '/a%20b', query: 'x=%20', headers: { h: 'v' }, body: Buffer.from('b'), peer: '192.0.2.1' });
    expect(req).toEqual({ method: 'GET', path: '/a b', query: 'x=%20', headers: { h: 'v' }, body: Buffer.from('b') });
  });
});
