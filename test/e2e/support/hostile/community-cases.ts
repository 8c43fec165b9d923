// Hostile requests to the community server (SOGS API v3, sogs-fileserver 1-2): signed posts whose
// JSON is junk or of the wrong types, path and query parameters that are not numbers or tokens,
// X-SOGS-* headers forged, malformed or replayed, batches over their cap, nested, or carrying
// JSON nested 10,000 deep. The same cases go directly and as the v4 request inside onion requests.
import { SogsUser } from '../sogs-request';
import { anyClientError, type HostileCase, type RefusalRule } from './hostile-case';
import { deepJson, fieldSubstitutes, garbageBodies, HUGE_NUMBERS, jsonWith, RawText, type Rng } from './values';

/** /batch and /sequence answer 200 with `[{code, headers, body}]`: refused when every entry is a 4xx. */
export const sogsBatchRefusal: RefusalRule = (status, body) => {
  if (status !== 200) return anyClientError(status, body);
  let entries: unknown;
  try {
    entries = JSON.parse(body.toString('utf8'));
  } catch {
    return 'a 200 that is not JSON';
  }
  if (!Array.isArray(entries) || entries.length === 0) return 'a 200 that is not a list of answers';
  const accepted = entries.filter((e: { code?: unknown }) => typeof e?.code !== 'number' || e.code < 400 || e.code > 499);
  return accepted.length > 0 ? `subrequests answered ${accepted.map((e: { code?: unknown }) => e?.code).join(',')}` : undefined;
};

const utf8 = (s: string | Buffer) => (typeof s === 'string' ? Buffer.from(s, 'utf8') : s);

export function communityCases(rng: Rng, serverPubkey: string, room = 'lobby'): HostileCase[] {
  const user = new SogsUser(serverPubkey);
  const signed = (what: string, method: string, path: string, body?: string | Buffer, refusal?: RefusalRule): HostileCase => ({
    what,
    method,
    path,
    headers: { ...user.headers(method, path, body === undefined ? undefined : utf8(body)), 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body }),
    ...(refusal ? { refusal } : {}),
  });
  const anonymous = (what: string, method: string, path: string, body?: string, refusal?: RefusalRule): HostileCase => ({
    what,
    method,
    path,
    headers: { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body }),
    ...(refusal ? { refusal } : {}),
  });
  const post = `/room/${room}/message`;
  const validPost = { data: Buffer.from('a message').toString('base64'), signature: rng.bytes(64).toString('base64') };
  const cases: HostileCase[] = garbageBodies(rng, JSON.stringify(validPost), { random: 10, truncated: 10 }).map((g) => signed(`post: ${g.what}`, 'POST', post, g.body));

  // Each field of a post, and of an edit, with values of the wrong kind.
  const substitutes = fieldSubstitutes();
  const label = (v: unknown) => (v instanceof RawText ? v.text.slice(0, 24) : JSON.stringify(v));
  for (const field of ['data', 'signature', 'whisper_to', 'whisper_mods', 'files']) {
    for (const value of rng.sample(substitutes, 10)) {
      // Values the field takes: a boolean whisper_mods, a list of file ids, empty base64 data.
      if (value === null || (field === 'whisper_mods' && typeof value === 'boolean') || (field === 'files' && Array.isArray(value) && value.every((v) => typeof v === 'number')) || (field === 'data' && value === '')) continue;
      cases.push(signed(`post: ${field} = ${label(value)}`, 'POST', post, jsonWith({ ...validPost, [field]: value })));
    }
  }
  cases.push(signed('post: data of 100 KB of bad base64', 'POST', post, jsonWith({ ...validPost, data: '!'.repeat(100_000) })));

  // Path and query parameters that are not what the route reads.
  const numbers = ['-1', 'x', '1.5', '0x10', '', ' 1', ...HUGE_NUMBERS.filter((n) => !n.includes('-'))];
  for (const n of numbers) {
    for (const template of ['/room/ROOM/messages/since/N', '/room/ROOM/message/N', '/room/ROOM/messages/before/N', '/room/ROOM/pollInfo/N', '/room/ROOM/file/N', '/room/ROOM/reactors/N/x']) {
      const path = template.replace('ROOM', room).replace('N', encodeURIComponent(n));
      cases.push(anonymous(`GET ${template} with ${JSON.stringify(n.slice(0, 20))}`, 'GET', path));
    }
  }
  // A limit out of range is clamped into it (as upstream); one that is no number is refused.
  for (const n of ['x', '1.5', '0x10', '1e400', '1.7976931348623157e309', 'NaN', '[]']) {
    cases.push(anonymous(`GET recent?limit=${n.slice(0, 20)}`, 'GET', `/room/${room}/messages/recent?limit=${encodeURIComponent(n)}`));
  }
  for (const token of ['no-such-room', '..', '%00', '%zz', 'a'.repeat(5_000), 'ὕδωρ', 'lobby%2F..', `${room}%20`]) {
    cases.push(anonymous(`GET /room/${token.slice(0, 20)}`, 'GET', `/room/${token}`), anonymous(`GET /room/${token.slice(0, 20)}/messages/recent`, 'GET', `/room/${token}/messages/recent`));
  }
  cases.push(anonymous('capabilities asking for 5,000 features', 'GET', `/capabilities?required=${Array.from({ length: 5_000 }, (_, i) => `f${i}`).join(',')}`));

  // X-SOGS-* headers: each with a bad value, and a signature reused.
  const get = `/room/${room}`;
  const headersWith = (name: string, value: string): HostileCase => {
    const h = { ...user.headers('GET', get) } as Record<string, string>;
    h[name] = value;
    return { what: `auth: ${name} = ${JSON.stringify(value.slice(0, 24))}`, method: 'GET', path: get, headers: h };
  };
  const badHeaders: [string, string][] = [
    ['X-SOGS-Pubkey', '15' + 'zz'.repeat(32)],
    ['X-SOGS-Pubkey', '15' + '00'.repeat(32)],
    ['X-SOGS-Pubkey', '05' + rng.bytes(32).toString('hex')],
    ['X-SOGS-Pubkey', '99' + rng.bytes(32).toString('hex')],
    ['X-SOGS-Pubkey', rng.word(10_000)],
    ['X-SOGS-Nonce', '!!!!'],
    ['X-SOGS-Nonce', rng.bytes(15).toString('base64')],
    ['X-SOGS-Nonce', rng.bytes(17).toString('base64')],
    ['X-SOGS-Nonce', rng.word(8_000)],
    ['X-SOGS-Timestamp', '1e400'],
    ['X-SOGS-Timestamp', '9'.repeat(400)],
    ['X-SOGS-Timestamp', '-1'],
    ['X-SOGS-Timestamp', 'now'],
    ['X-SOGS-Timestamp', String(Math.floor(Date.now() / 1000) - 3 * 86_400)],
    ['X-SOGS-Signature', rng.bytes(64).toString('base64')],
    ['X-SOGS-Signature', rng.bytes(63).toString('base64')],
    ['X-SOGS-Signature', '='.repeat(88)],
    ['X-SOGS-Signature', ''],
  ];
  cases.push(...badHeaders.map(([name, value]) => headersWith(name, value)));
  const once = user.headers('GET', get);
  const first: HostileCase = { what: 'the request a replay copies', method: 'GET', path: get, headers: once };
  cases.push({ what: 'auth: a signed request replayed', method: 'GET', path: get, headers: once, prime: first });
  const postBody = jsonWith(validPost);
  const signedPost = user.headers('POST', post, utf8(postBody));
  cases.push({ what: 'auth: a signature for another path', method: 'GET', path: `/room/${room}/messages/recent`, headers: user.headers('GET', get) });
  cases.push({ what: 'auth: a signature for another body', method: 'POST', path: post, headers: { ...signedPost, 'content-type': 'application/json' }, body: jsonWith({ ...validPost, data: 'QQ==' }) });

  // Batches.
  const capabilities = { method: 'GET', path: '/capabilities' };
  for (const kind of ['/batch', '/sequence']) {
    cases.push(
      ...garbageBodies(rng, JSON.stringify([capabilities]), { random: 4, truncated: 4 }).map((g) => anonymous(`${kind}: ${g.what}`, 'POST', kind, typeof g.body === 'string' ? g.body : g.body.toString('latin1'))),
      anonymous(`${kind} of 257 subrequests`, 'POST', kind, JSON.stringify(Array(257).fill(capabilities))),
      anonymous(`${kind} of none`, 'POST', kind, '[]'),
      anonymous(`${kind} of an object`, 'POST', kind, JSON.stringify(capabilities)),
      anonymous(`${kind} of a method not served`, 'POST', kind, JSON.stringify([{ method: 'BREW', path: '/capabilities' }]), sogsBatchRefusal),
      anonymous(`${kind} of a path without a slash`, 'POST', kind, JSON.stringify([{ method: 'GET', path: 'capabilities' }]), sogsBatchRefusal),
      anonymous(`${kind} of headers that are a list`, 'POST', kind, JSON.stringify([{ method: 'GET', path: '/capabilities', headers: [1] }]), sogsBatchRefusal),
      anonymous(`${kind} of a GET with a body`, 'POST', kind, JSON.stringify([{ method: 'GET', path: '/capabilities', json: {} }]), sogsBatchRefusal),
      anonymous(`${kind} of a POST with two bodies`, 'POST', kind, JSON.stringify([{ method: 'POST', path: post, json: {}, b64: 'QQ==' }]), sogsBatchRefusal),
      anonymous(`${kind} of bad base64`, 'POST', kind, JSON.stringify([{ method: 'POST', path: post, b64: '!!!!' }]), sogsBatchRefusal),
      anonymous(`${kind} of 256 unknown paths`, 'POST', kind, JSON.stringify(Array(256).fill({ method: 'GET', path: '/no-such-path' })), sogsBatchRefusal),
      anonymous(`${kind} of 256 anonymous posts`, 'POST', kind, JSON.stringify(Array(256).fill({ method: 'POST', path: post, json: validPost })), sogsBatchRefusal),
      anonymous(`${kind} nested in ${kind}`, 'POST', kind, JSON.stringify([{ method: 'POST', path: kind, json: [capabilities] }]), sogsBatchRefusal),
      anonymous(`${kind} nested 4 x 256 wide`, 'POST', kind, JSON.stringify(Array(4).fill({ method: 'POST', path: kind, json: Array(256).fill(capabilities) })), sogsBatchRefusal),
      anonymous(`${kind} whose subrequest json is nested 10,000 deep`, 'POST', kind, `[{"method":"POST","path":"${post}","json":${deepJson(10_000, 'object')}}]`, sogsBatchRefusal),
      anonymous(`${kind} whose subrequest json is a 10,000-deep list`, 'POST', kind, `[{"method":"POST","path":"/batch","json":${deepJson(10_000)}}]`, sogsBatchRefusal),
    );
  }

  // Methods and paths the server does not serve.
  for (const method of ['PATCH', 'BREW', 'OPTIONS', 'TRACE']) for (const path of ['/capabilities', get, post, '/batch']) cases.push(anonymous(`${method} ${path}`, method, path));
  for (const path of ['/', '/rooms/x', '/room', '/room/', `/room/${room}/`, '/legacy/rooms', '/oxen/v4/lsrpc/x', `/${rng.word(3_000).replace(/[/?#%]/g, 'x')}`]) cases.push(anonymous(`GET ${path.slice(0, 30)}`, 'GET', path));
  return cases;
}
