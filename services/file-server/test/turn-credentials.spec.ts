// GET /turn/credentials (calls, client.md 6): TURN REST credentials from the shared secret, over
// plain HTTP and through an onion request; absent (404) when TURN is not configured.
import { createHmac } from 'crypto';
import { serverBackends, startServer, type Harness } from './support/harness';
import { jsonOf, onionV4 } from './support/onion-client';
import { fileServerConfigFromEnv, FileServerConfigError } from '../src/config';
import { issueTurnCredentials, parseTurnUris, turnPassword } from '../src/turn/turn-credentials';

const SECRET = 'calls-shared-secret-0123456789';
const URIS = ['turn:127.0.0.1:3478?transport=udp', 'turn:127.0.0.1:3478?transport=tcp'];

describe('TURN REST credentials', () => {
  it('derives the password as base64 HMAC-SHA1 (RFC 2202 test case 2)', () => {
    // HMAC-SHA1("Jefe", "what do ya want for nothing?") = effcdf6ae5eb2fa2d27416d5f184df9c259a7c79
    expect(turnPassword('Jefe', 'what do ya want for nothing?')).toBe(Buffer.from('effcdf6ae5eb2fa2d27416d5f184df9c259a7c79', 'hex').toString('base64'));
  });

  it('puts the expiry first in the username and never repeats one', () => {
    const now = Date.UTC(2026, 0, 1, 12, 0, 0, 700);
    const a = issueTurnCredentials({ secret: SECRET, uris: URIS, ttlSeconds: 600 }, now);
    const b = issueTurnCredentials({ secret: SECRET, uris: URIS, ttlSeconds: 600 }, now);
    expect(a.username).toMatch(new RegExp(`^${Math.floor(now / 1000) + 600}:[0-9a-f]{24}$`));
    expect(a.username).not.toBe(b.username);
    expect(a.password).toBe(createHmac('sha1', SECRET).update(a.username).digest('base64'));
    expect([a.ttl, a.uris]).toEqual([600, URIS]);
  });

  it('accepts only turn: and turns: URIs', () => {
    expect(parseTurnUris(' turn:a:3478 , turns:b:5349?transport=tcp ')).toEqual(['turn:a:3478', 'turns:b:5349?transport=tcp']);
    expect(() => parseTurnUris('')).toThrow('no TURN URI');
    expect(() => parseTurnUris('stun:a:3478')).toThrow('stun:a:3478');
    expect(() => parseTurnUris('http://a')).toThrow('not a turn');
  });
});

describe('TURN configuration', () => {
  it('is off unless both the secret and the URIs are set', () => {
    expect(fileServerConfigFromEnv({}).turn).toBeUndefined();
    expect(fileServerConfigFromEnv({ FILE_SERVER_TURN_SECRET: SECRET, FILE_SERVER_TURN_URIS: URIS.join(',') }).turn).toEqual({
      secret: SECRET,
      uris: URIS,
      ttlSeconds: 3600,
    });
    expect(fileServerConfigFromEnv({ FILE_SERVER_TURN_SECRET: SECRET, FILE_SERVER_TURN_URIS: 'turn:x', FILE_SERVER_TURN_TTL: '10m' }).turn?.ttlSeconds).toBe(600);
  });

  it('refuses half a setup, a short secret and a bad URI', () => {
    expect(() => fileServerConfigFromEnv({ FILE_SERVER_TURN_SECRET: SECRET })).toThrow(FileServerConfigError);
    expect(() => fileServerConfigFromEnv({ FILE_SERVER_TURN_URIS: 'turn:x' })).toThrow('must be set together');
    expect(() => fileServerConfigFromEnv({ FILE_SERVER_TURN_SECRET: 'short', FILE_SERVER_TURN_URIS: 'turn:x' })).toThrow('FILE_SERVER_TURN_SECRET');
    expect(() => fileServerConfigFromEnv({ FILE_SERVER_TURN_SECRET: SECRET, FILE_SERVER_TURN_URIS: 'https://x' })).toThrow('FILE_SERVER_TURN_URIS');
  });
});

describe('GET /turn/credentials', () => {
  const backend = serverBackends()[0]!;
  let on: Harness;
  let off: Harness;
  beforeAll(async () => {
    on = await startServer(backend, { turn: { secret: SECRET, uris: URIS, ttlSeconds: 900 } });
    off = await startServer(backend);
  });
  afterAll(async () => {
    await on.stop();
    await off.stop();
  });

  /** The answer must be a credential the TURN server would accept for about `ttl` seconds. */
  function expectValid(value: unknown, before: number, after: number): void {
    const c = value as { username: string; password: string; ttl: number; uris: string[] };
    expect(Object.keys(c).sort()).toEqual(['password', 'ttl', 'uris', 'username']);
    const [expiry, id] = c.username.split(':');
    expect(Number(expiry)).toBeGreaterThanOrEqual(Math.floor(before / 1000) + 900);
    expect(Number(expiry)).toBeLessThanOrEqual(Math.floor(after / 1000) + 900);
    expect(id).toMatch(/^[0-9a-f]{24}$/);
    expect(c.password).toBe(createHmac('sha1', SECRET).update(c.username, 'utf8').digest('base64'));
    expect([c.ttl, c.uris]).toEqual([900, URIS]);
  }

  it('answers a plain request with a fresh credential each time', async () => {
    const before = Date.now();
    const first = await fetch(`${on.server.url}/turn/credentials`);
    const second = await fetch(`${on.server.url}/turn/credentials`);
    const after = Date.now();
    expect([first.status, first.headers.get('content-type'), first.headers.get('cache-control')]).toEqual([200, 'application/json', 'no-store']);
    const a = (await first.json()) as { username: string };
    const b = (await second.json()) as { username: string };
    expectValid(a, before, after);
    expectValid(b, before, after);
    expect(a.username).not.toBe(b.username);
  });

  it('answers through an onion request', async () => {
    const before = Date.now();
    const reply = await onionV4(on.server, { meta: { method: 'GET', endpoint: '/turn/credentials', headers: {} } }, 'xchacha20');
    const after = Date.now();
    expect(reply.code).toBe(200);
    expectValid(jsonOf(reply.body), before, after);
  });

  it('refuses other methods and leaves the file routes alone', async () => {
    const post = await onionV4(on.server, { meta: { method: 'POST', endpoint: '/turn/credentials', headers: {} }, body: new Uint8Array(0) }, 'aes-gcm');
    expect([post.code, jsonOf(post.body)]).toEqual([405, { status_code: 405 }]);
    expect((await fetch(`${on.server.url}/turn/credentials/x`)).status).toBe(404);
    expect((await fetch(`${on.server.url}/file/${'Q'.repeat(44)}`)).status).toBe(404);
  });

  it('does not exist when TURN is not configured', async () => {
    const plain = await fetch(`${off.server.url}/turn/credentials`);
    expect([plain.status, await plain.json()]).toEqual([404, { status_code: 404 }]);
    const onion = await onionV4(off.server, { meta: { method: 'GET', endpoint: '/turn/credentials', headers: {} } }, 'xchacha20');
    expect([onion.code, jsonOf(onion.body)]).toEqual([404, { status_code: 404 }]);
  });
});
