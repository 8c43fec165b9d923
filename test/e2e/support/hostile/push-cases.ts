// Hostile requests to the push server's client API (services/push README: POST /subscribe and
// /unsubscribe, one JSON request or an array of them, signed by the account): bodies that are not
// JSON, every field with a value of the wrong kind, forged, misdirected and replayed signatures,
// sig_ts out of its window, subaccount tokens that grant nothing, services it does not offer and
// service_info no service can read, namespaces out of order or range, arrays of junk, methods and
// paths it does not serve. Every field but the hostile one is valid and signed, so each case
// reaches the check it aims at. The same cases go directly and as the v4 request inside onion
// requests.
import { SubaccountFlag, toBase64 } from '@starling/crypto';
import { PushSubscriber, nowSeconds, type PushTargetFields } from '../push-subscriber';
import { amplification, anyClientError, MAX_REFUSAL_BYTES, MAX_REFUSAL_GROWTH, type HostileCase, type RefusalRule } from './hostile-case';
import { deepJson, fieldSubstitutes, garbageBodies, HUGE_NUMBERS, jsonWith, RawText, type Rng } from './values';

export const PUSH_SUBSCRIBE_PATH = '/subscribe';
export const PUSH_UNSUBSCRIBE_PATH = '/unsubscribe';
/** The API refuses bodies over 100,000 bytes with its error 1; the route lets 1 KiB more through to it. */
export const PUSH_MAX_REQUEST_BYTES = 100_000;
export const PUSH_ROUTE_CAP = PUSH_MAX_REQUEST_BYTES + 1024;
/** Requests in one array body, at most; a longer array is refused whole. */
export const PUSH_MAX_REQUESTS_PER_BODY = 256;
/** Each request of an array gets its own refusal: a short one, this many bytes at most. */
const MAX_BYTES_PER_ANSWER = 128;

/**
 * The push server refuses as upstream does: HTTP 200 with `{"error": N, "message"}` (an array of
 * them for an array of requests), N being 1 (bad input), 2 (service not available) or 4 (refused).
 * 3 (backend timeout) and 5 (internal error) are the server's failures, not refusals. Anything it
 * does not route gets a plain 4xx. A refusal must not amplify the request that caused it: an
 * array's answer may add one short refusal per request, for at most 256 requests.
 */
export function pushRefusal(requestBytes: number): RefusalRule {
  return (status, body) => {
    if (status !== 200) return anyClientError(status, body);
    let answer: unknown;
    try {
      answer = JSON.parse(body.toString('utf8'));
    } catch {
      return 'a 200 that is not JSON';
    }
    const answers = Array.isArray(answer) ? answer : [answer];
    const accepted = answers.filter((a) => typeof a !== 'object' || a === null || !REFUSAL_CODES.has((a as { error?: unknown }).error as number));
    if (accepted.length > 0) return `not refused: ${accepted.slice(0, 2).map((a) => JSON.stringify(a).slice(0, 100)).join(', ')}`;
    if (!Array.isArray(answer)) return amplification(body.length, requestBytes);
    if (answer.length > PUSH_MAX_REQUESTS_PER_BODY) return `${answer.length} answers to one body`;
    const limit = Math.max(MAX_REFUSAL_BYTES, MAX_REFUSAL_GROWTH * requestBytes) + answer.length * MAX_BYTES_PER_ANSWER;
    return body.length > limit ? `a ${body.length}-byte refusal of ${answer.length} requests in ${requestBytes} bytes` : undefined;
  };
}

const REFUSAL_CODES = new Set([1, 2, 4]);
const DAY = 86_400;

export interface PushCaseOptions {
  /** A UnifiedPush endpoint the server accepts (the hostile cases never make it valid). */
  endpoint: string;
}

export function pushCases(rng: Rng, options: PushCaseOptions): HostileCase[] {
  const alice = new PushSubscriber(rng.bytes(32));
  const mallory = new PushSubscriber(rng.bytes(32));
  const unifiedPush: PushTargetFields = { service: 'unifiedpush', service_info: { endpoint: options.endpoint } };
  const push = (what: string, path: string, body: string | Buffer, method = 'POST'): HostileCase => ({
    what,
    method,
    path,
    headers: { 'content-type': 'application/json' },
    body,
    refusal: pushRefusal(Buffer.byteLength(path) + Buffer.byteLength(body)),
  });
  const subscribe = (what: string, body: unknown) => push(`subscribe: ${what}`, PUSH_SUBSCRIBE_PATH, typeof body === 'string' ? body : jsonWith(body));
  const unsubscribe = (what: string, body: unknown) => push(`unsubscribe: ${what}`, PUSH_UNSUBSCRIBE_PATH, typeof body === 'string' ? body : jsonWith(body));
  const label = (v: unknown) => (v instanceof RawText ? v.text.slice(0, 24) : JSON.stringify(v)?.slice(0, 40));
  const validSubscribe = alice.subscribe(unifiedPush);
  const validUnsubscribe = alice.unsubscribe(unifiedPush);

  // Whole bodies that are no request.
  const cases: HostileCase[] = [
    ...garbageBodies(rng, JSON.stringify(validSubscribe), { random: 8, truncated: 12 }).map((g) => push(`subscribe: ${g.what}`, PUSH_SUBSCRIBE_PATH, g.body)),
    ...garbageBodies(rng, JSON.stringify(validUnsubscribe), { random: 4, truncated: 8 }).map((g) => push(`unsubscribe: ${g.what}`, PUSH_UNSUBSCRIBE_PATH, g.body)),
  ];

  // Each field with values of the wrong kind; the rest valid and signed. A null subaccount is an
  // absent one, and a boolean is what `data` takes.
  const substitutes = fieldSubstitutes();
  const token = alice.delegate(mallory);
  for (const field of ['pubkey', 'session_ed25519', 'signature', 'sig_ts', 'service', 'service_info', 'enc_key', 'namespaces', 'data', 'subaccount', 'subaccount_sig']) {
    for (const value of rng.sample(substitutes, 8)) {
      if ((field === 'data' && typeof value === 'boolean') || (field.startsWith('subaccount') && value === null)) continue;
      cases.push(subscribe(`${field} = ${label(value)}`, { ...validSubscribe, ...(field.startsWith('subaccount') ? token : {}), [field]: value }));
    }
  }
  for (const field of ['pubkey', 'session_ed25519', 'signature', 'sig_ts', 'service', 'service_info']) {
    for (const value of rng.sample(substitutes, 5)) cases.push(unsubscribe(`${field} = ${label(value)}`, { ...validUnsubscribe, [field]: value }));
  }
  // Each required field missing.
  for (const field of ['pubkey', 'session_ed25519', 'signature', 'sig_ts', 'service', 'service_info', 'enc_key', 'namespaces', 'data']) {
    const { [field]: _missing, ...rest } = validSubscribe;
    cases.push(subscribe(`no ${field}`, rest));
  }
  for (const field of ['pubkey', 'session_ed25519', 'signature', 'sig_ts', 'service', 'service_info']) {
    const { [field]: _missing, ...rest } = validUnsubscribe;
    cases.push(unsubscribe(`no ${field}`, rest));
  }

  // Signatures that are not the account's signature of this request.
  const now = nowSeconds();
  const monitor = (over: { sigTs?: number; data?: boolean; namespaces?: number[] } = {}) => alice.monitorText(over.sigTs ?? now, over.data ?? true, over.namespaces ?? [0]);
  const signedAs = (signature: string) => ({ ...validSubscribe, sig_ts: now, signature });
  const forged: [string, string][] = [
    ['signed by another key', mallory.sign(monitor())],
    ['signed over the unsubscribe text', alice.sign(`UNSUBSCRIBE${alice.sessionId}${now}`)],
    ['signed over other namespaces', alice.sign(monitor({ namespaces: [0, 1] }))],
    ['signed without data', alice.sign(monitor({ data: false }))],
    ['signed a second earlier', alice.sign(monitor({ sigTs: now - 1 }))],
    ['signed over the account in upper case', alice.sign(monitor().replace(alice.sessionId, alice.sessionId.toUpperCase()))],
    ['signed over sig_ts in milliseconds', alice.sign(monitor({ sigTs: now * 1000 }))],
    ['of 64 zero bytes', toBase64(Buffer.alloc(64))],
    ['of 64 random bytes', toBase64(rng.bytes(64))],
    ['of 63 bytes', toBase64(rng.bytes(63))],
    ['of 65 bytes', toBase64(rng.bytes(65))],
    ['of 128 characters that are not hex', 'zz'.repeat(64)],
    ['with one bit flipped', flipBit(alice.sign(monitor()))],
    ['of 10 KB', 'A'.repeat(10_000)],
  ];
  for (const [what, signature] of forged) cases.push(subscribe(`a signature ${what}`, signedAs(signature)));
  cases.push(
    subscribe('another account’s valid signature', { ...validSubscribe, pubkey: mallory.sessionId, session_ed25519: mallory.ed25519Hex }),
    subscribe('a session_ed25519 of another account', { ...validSubscribe, session_ed25519: mallory.ed25519Hex }),
    subscribe('a session_ed25519 that is no curve point', { ...validSubscribe, session_ed25519: '01' + '00'.repeat(31) }),
    subscribe('a session_ed25519 of small order', { ...validSubscribe, session_ed25519: 'ec' + 'ff'.repeat(30) + '7f' }),
    subscribe('a group account (03) signed by someone else', { ...validSubscribe, pubkey: '03' + alice.ed25519Hex, session_ed25519: undefined, signature: mallory.sign(monitor().replace(alice.sessionId, '03' + alice.ed25519Hex)) }),
    subscribe('a pubkey of 32 bytes', { ...validSubscribe, pubkey: alice.sessionId.slice(2) }),
    subscribe('a pubkey of 34 bytes', { ...validSubscribe, pubkey: alice.sessionId + '00' }),
    subscribe('a pubkey of 33 raw characters', { ...validSubscribe, pubkey: '\u0005' + 'x'.repeat(32) }),
  );
  // Subaccounts that grant nothing, or not to this signer.
  const delegated = (what: string, subaccount: Record<string, string>, signer: PushSubscriber = mallory) => subscribe(`a subaccount ${what}`, { ...validSubscribe, ...subaccount, signature: signer.sign(monitor()) });
  cases.push(
    delegated('without read permission', alice.delegate(mallory, { flags: SubaccountFlag.write })),
    delegated('of another network', alice.delegate(mallory, { netid: 0x03 })),
    delegated('token signed by its delegate', { ...alice.delegate(mallory), subaccount_sig: mallory.sign(Buffer.from(alice.delegate(mallory).subaccount, 'hex')) }),
    delegated('token with a forged signature', { ...alice.delegate(mallory), subaccount_sig: toBase64(rng.bytes(64)) }),
    delegated('for someone else than the signer', alice.delegate(new PushSubscriber(rng.bytes(32)))),
    delegated('that is valid, with the request signed by the account’s key instead of the delegate’s', alice.delegate(mallory), alice),
    delegated('without its signature', { subaccount: alice.delegate(mallory).subaccount }),
    delegated('of 35 bytes', { ...alice.delegate(mallory), subaccount: alice.delegate(mallory).subaccount.slice(2) }),
  );

  // sig_ts out of its window, correctly signed.
  for (const [what, sigTs] of [
    ['zero', 0],
    ['negative', -1],
    ['14 days old', now - 14 * DAY],
    ['14 days and a minute old', now - 14 * DAY - 60],
    ['a year old', now - 365 * DAY],
    ['a day and a minute ahead', now + DAY + 60],
    ['a year ahead', now + 365 * DAY],
    ['in milliseconds', now * 1000],
    ['2^53 - 1', Number.MAX_SAFE_INTEGER],
  ] as [string, number][]) {
    cases.push(subscribe(`sig_ts ${what}`, alice.subscribe(unifiedPush, { sigTs })));
  }
  for (const [what, sigTs] of [
    ['25 hours old', now - 25 * 3_600],
    ['25 hours ahead', now + 25 * 3_600],
    ['zero', 0],
    ['in milliseconds', now * 1000],
  ] as [string, number][]) {
    cases.push(unsubscribe(`sig_ts ${what}`, alice.unsubscribe(unifiedPush, sigTs)));
  }
  cases.push(
    unsubscribe('signed by another key', { ...validUnsubscribe, signature: mallory.sign(`UNSUBSCRIBE${alice.sessionId}${validUnsubscribe.sig_ts}`) }),
    unsubscribe('signed over the subscribe text', { ...validUnsubscribe, signature: alice.sign(monitor({ sigTs: validUnsubscribe.sig_ts as number })) }),
    unsubscribe('a signature of 64 zero bytes', { ...validUnsubscribe, signature: toBase64(Buffer.alloc(64)) }),
    unsubscribe('a session_ed25519 of another account', { ...validUnsubscribe, session_ed25519: mallory.ed25519Hex }),
    unsubscribe('another account’s valid signature', { ...validUnsubscribe, pubkey: mallory.sessionId, session_ed25519: mallory.ed25519Hex }),
  );

  // Namespaces the storage nodes could not watch, each signed as given.
  for (const [what, namespaces] of [
    ['none', []],
    ['out of order', [1, 0]],
    ['repeated', [0, 0]],
    ['above int16', [0, 32_768]],
    ['below int16', [-32_769, 0]],
    ['5,000 of them, ascending past int16', Array.from({ length: 5_000 }, (_, i) => 28_000 + i)],
  ] as [string, number[]][]) {
    cases.push(subscribe(`namespaces ${what}`, alice.subscribe(unifiedPush, { namespaces })));
  }
  for (const value of [[0.5], ['0'], [null], [[0]], [new RawText('1e400')], [0, '1']]) {
    cases.push(subscribe(`namespaces [${value.map(label).join(',')}]`, jsonWith({ ...validSubscribe, namespaces: value })));
  }
  // enc_key that is no 32-byte key.
  for (const encKey of ['07'.repeat(31), '07'.repeat(33), 'zz'.repeat(32), toBase64(rng.bytes(31)), toBase64(rng.bytes(33)), 'x'.repeat(31), 'x'.repeat(33), '', 'ὕδωρ'.repeat(8)]) {
    cases.push(subscribe(`enc_key ${JSON.stringify(encKey.slice(0, 24))} (${encKey.length} characters)`, alice.subscribe(unifiedPush, { encKey })));
  }

  // Services this server does not offer, and service_info no offered service can read.
  for (const service of ['huawei', 'apns-sandbox', 'UNIFIEDPUSH', 'unifiedpush ', 'webpush', '__proto__', 'constructor', 'hasOwnProperty', '', 'unified\u0000push', rng.word(5_000)]) {
    cases.push(subscribe(`service ${JSON.stringify(service.slice(0, 20))}`, alice.subscribe({ service, service_info: { endpoint: options.endpoint, token: 'a'.repeat(64) } })));
    if (service.length < 40) cases.push(unsubscribe(`service ${JSON.stringify(service.slice(0, 20))}`, alice.unsubscribe({ service, service_info: { endpoint: options.endpoint } })));
  }
  const endpoints = [
    '',
    'not a URL',
    'ftp://127.0.0.1/x',
    'file:///etc/passwd',
    'javascript:alert(1)',
    'data:text/plain,x',
    'http://user:secret@127.0.0.1/x',
    'http://',
    'http://[::1',
    'http://127.0.0.1:99999/x',
    'http://a\u0000b/x',
    `http://127.0.0.1/${'a'.repeat(1_000)}`,
  ];
  for (const endpoint of endpoints) cases.push(subscribe(`unifiedpush endpoint ${JSON.stringify(endpoint.slice(0, 30))}`, alice.subscribe({ service: 'unifiedpush', service_info: { endpoint } })));
  for (const info of [{}, { token: 'a'.repeat(64) }, { endpoint: 5 }, { endpoint: [options.endpoint] }, { endpoint: null }, options.endpoint, [options.endpoint], null, 5]) {
    cases.push(subscribe(`unifiedpush service_info ${label(info)}`, alice.subscribe({ service: 'unifiedpush', service_info: info })));
    cases.push(unsubscribe(`unifiedpush service_info ${label(info)}`, alice.unsubscribe({ service: 'unifiedpush', service_info: info })));
  }
  // Device tokens: FCM wants 32..999 characters, APNs exactly 64; both become text in the table.
  const tokens: [string, string][] = [
    ['firebase', ''],
    ['firebase', 'a'.repeat(31)],
    ['firebase', 'a'.repeat(1_000)],
    ['firebase', '\u0000'.repeat(40)],
    ['firebase', `${'a'.repeat(40)}\u0000`],
    ['apns', 'a'.repeat(63)],
    ['apns', 'a'.repeat(65)],
    ['apns', '\u0000'.repeat(64)],
    ['apns', `${'0'.repeat(63)}\u0000`],
  ];
  for (const [service, deviceToken] of tokens) {
    const label = `${service} token of ${deviceToken.length} characters${deviceToken.includes('\u0000') ? ' with NUL' : ''}`;
    cases.push(subscribe(label, alice.subscribe({ service, service_info: { token: deviceToken } })));
    cases.push(unsubscribe(label, alice.unsubscribe({ service, service_info: { token: deviceToken } })));
  }
  for (const service of ['firebase', 'apns']) {
    for (const info of [{}, { token: 5 }, { token: null }, { endpoint: options.endpoint }, 'a'.repeat(64)]) {
      cases.push(subscribe(`${service} service_info ${label(info)}`, alice.subscribe({ service, service_info: info })));
    }
  }

  // Arrays of requests: every answer in them must be a refusal.
  const forgedOne = signedAs(mallory.sign(monitor()));
  cases.push(
    subscribe('an empty array', '[]'),
    subscribe('an array of 300 empty objects', `[${Array(300).fill('{}').join(',')}]`),
    subscribe('an array of 3,000 zeros', `[${Array(3_000).fill('0').join(',')}]`),
    subscribe('an array of 256 zeros', `[${Array(256).fill('0').join(',')}]`),
    subscribe('an array of 100 forged requests', [...Array(100)].map(() => forgedOne)),
    subscribe('an array of 257 empty objects', `[${Array(257).fill('{}').join(',')}]`),
    subscribe('an array holding an array of a forged request', [[forgedOne]]),
    subscribe('an array of requests for 100 unknown services of 900 bytes', Array.from({ length: 100 }, () => ({ ...validSubscribe, service: rng.word(900) }))),
    unsubscribe('an array of 300 empty objects', `[${Array(300).fill('{}').join(',')}]`),
    unsubscribe('an array of 100 forged requests', [...Array(100)].map(() => ({ ...validUnsubscribe, signature: toBase64(Buffer.alloc(64)) }))),
    subscribe('a body of 100,001 bytes', JSON.stringify(forgedOne).replace(/}$/, ' '.repeat(PUSH_MAX_REQUEST_BYTES + 1 - JSON.stringify(forgedOne).length) + '}')),
    subscribe('a request object with 5,000 extra keys', jsonWith({ ...forgedOne, ...Object.fromEntries(Array.from({ length: 5_000 }, (_, i) => [`k${i}`, i])) })),
    subscribe('a key that is __proto__', `{"__proto__":${JSON.stringify(validSubscribe)}}`),
    subscribe('every field twice, the second forged', JSON.stringify(validSubscribe).replace(/}$/, `,"signature":"${toBase64(Buffer.alloc(64))}"}`)),
  );
  for (const n of HUGE_NUMBERS) cases.push(subscribe(`data of ${n.slice(0, 20)}`, jsonWith({ ...validSubscribe, data: new RawText(n) })));
  cases.push(subscribe('service_info nested 10,000 deep', jsonWith({ ...validSubscribe, service_info: new RawText(deepJson(10_000, 'object')) })));

  // Methods and paths it does not serve.
  for (const method of ['GET', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'BREW']) {
    for (const path of [PUSH_SUBSCRIBE_PATH, PUSH_UNSUBSCRIBE_PATH]) cases.push(push(`${method} ${path}`, path, method === 'GET' ? '' : JSON.stringify(validSubscribe), method));
  }
  for (const path of ['/', '/notify', '/subscribe/', '//subscribe', '/Subscribe', '/subscribe/x', '/v1/subscribe', '/oxen/v4/lsrpc/x', '/loki/v2/lsrpc', '/subscribe%00', `/${rng.word(3_000).replace(/[/?#%]/g, 'x')}`]) {
    cases.push(push(`POST ${path.slice(0, 30)}`, path, JSON.stringify(validSubscribe)));
  }
  for (const method of ['GET', 'PUT']) cases.push(push(`${method} /oxen/v4/lsrpc`, '/oxen/v4/lsrpc', '', method));
  return cases;
}

/** A base64 signature with its first bit flipped. */
function flipBit(base64: string): string {
  const bytes = Buffer.from(base64, 'base64');
  bytes[0] = bytes[0]! ^ 0x01;
  return bytes.toString('base64');
}
