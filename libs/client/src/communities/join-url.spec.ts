import { ClientError } from '../network/errors';
import { joinUrlOf, parseJoinUrl } from './join-url';

const KEY = 'a03c383cf63c3c4efe67acc52112a6dd734b3a946b9545f488aaa93da7991238';

describe('parseJoinUrl', () => {
  it('reads host, port, room and the server key', () => {
    expect(parseJoinUrl(`http://127.0.0.1:8080/Lobby?public_key=${KEY.toUpperCase()}`)).toEqual({
      server: { host: '127.0.0.1', port: 8080, protocol: 'http', x25519: KEY, baseUrl: 'http://127.0.0.1:8080' },
      room: 'lobby',
    });
  });

  it('defaults the scheme to http and the port to the scheme’s', () => {
    expect(parseJoinUrl(`open.example.org/main-room_2?public_key=${KEY}`).server).toMatchObject({ host: 'open.example.org', port: 80, protocol: 'http' });
    expect(parseJoinUrl(`https://open.example.org/main?public_key=${KEY}`).server).toMatchObject({ port: 443, protocol: 'https', baseUrl: 'https://open.example.org' });
  });

  it('round-trips through joinUrlOf', () => {
    const url = `http://sogs.example.net:81/dev?public_key=${KEY}`;
    const parsed = parseJoinUrl(url);
    expect(joinUrlOf(parsed.server, parsed.room)).toBe(url);
  });

  it.each([
    ['http://[::1', /^not a community URL/],
    ['ftp://example.org/lobby?public_key=' + KEY, /scheme must be http or https, not ftp/],
    [`http://example.org/?public_key=${KEY}`, /names no room/],
    [`http://example.org?public_key=${KEY}`, /names no room/],
    [`http://example.org/a/b?public_key=${KEY}`, /bad room/],
    [`http://example.org/${'x'.repeat(65)}?public_key=${KEY}`, /bad room/],
    ['http://example.org/lobby', /exactly one public_key/],
    [`http://example.org/lobby?public_key=${KEY}&public_key=${KEY}`, /exactly one public_key/],
    ['http://example.org/lobby?public_key=abcd', /bad public_key.*got 4/],
    [`http://example.org/lobby?public_key=${KEY.slice(1)}g`, /bad public_key/],
  ])('refuses %s with a one-line input error', (url, message) => {
    let thrown: unknown;
    try {
      parseJoinUrl(url);
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(ClientError);
    expect((thrown as ClientError).kind).toBe('input');
    expect((thrown as Error).message).toMatch(message);
    expect((thrown as Error).message).not.toContain('\n');
  });
});
