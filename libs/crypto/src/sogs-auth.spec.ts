import { expectCryptoError } from '../test/expect-crypto-error';
import { blake2b } from './signing';
import { concatBytes, fromBase64, fromHex, toBase64, toHex, utf8 } from './encoding';
import { parseSogsAuthHeaders, signSogsRequest, sogsSignedMessage, verifySogsRequest } from './sogs-auth';
import { ready } from './sodium';
import { sogsHeaderVectors, sogsLibsessionNonceVectors, sogsRequest as r } from './vectors/sogs-auth.vectors';

beforeAll(ready);

const parts = (withBody: boolean) => ({
  serverPk: fromHex(r.serverPk),
  nonce: fromBase64(r.nonceBase64),
  timestamp: r.timestamp,
  method: r.method,
  path: r.path,
  body: withBody ? r.body : undefined,
});
const request = (withBody: boolean) => ({ serverPk: fromHex(r.serverPk), method: r.method, path: r.path, body: withBody ? r.body : undefined });

describe('signed message layout', () => {
  it('is server pk || nonce || ts || method || path || BLAKE2b-64(body)', () => {
    const expected = concatBytes(
      fromHex(r.serverPk),
      fromHex(r.nonceHex),
      utf8(`${r.timestamp}${r.method}${r.path}`),
      blake2b(utf8(r.body), 64),
    );
    expect(toHex(sogsSignedMessage(parts(true)))).toBe(toHex(expected));
    expect(sogsSignedMessage(parts(false))).toHaveLength(expected.length - 64);
    expect(sogsSignedMessage({ ...parts(false), body: '' })).toEqual(sogsSignedMessage(parts(false)));
  });

  it('rejects bad nonce, server key and timestamp', () => {
    expectCryptoError(() => sogsSignedMessage({ ...parts(false), nonce: new Uint8Array(15) }), 'BAD_LENGTH');
    expectCryptoError(() => sogsSignedMessage({ ...parts(false), serverPk: new Uint8Array(33) }), 'BAD_LENGTH');
    expectCryptoError(() => sogsSignedMessage({ ...parts(false), timestamp: '12a' }), 'MALFORMED');
    expectCryptoError(() => sogsSignedMessage({ ...parts(false), timestamp: -1 }), 'MALFORMED');
  });
});

describe('X-SOGS-* header vectors', () => {
  it.each(sogsHeaderVectors.map((v) => [v.name, v] as const))('%s', (_name, v) => {
    const headers = signSogsRequest(fromHex(r.seed), parts(v.withBody), v.blinding);
    expect(headers).toEqual({
      'X-SOGS-Pubkey': v.pubkey,
      'X-SOGS-Nonce': r.nonceBase64,
      'X-SOGS-Timestamp': String(r.timestamp),
      'X-SOGS-Signature': v.signature,
    });
    const auth = parseSogsAuthHeaders({ ...headers })!;
    expect(verifySogsRequest(auth, request(v.withBody))).toBe(true);
    expect(verifySogsRequest(auth, request(!v.withBody))).toBe(false);
  });

  it.each(sogsLibsessionNonceVectors.map((v) => [v.withBody, v] as const))('blind15 libsession nonce, body %s', (withBody, v) => {
    const headers = signSogsRequest(fromHex(r.seed), parts(withBody), 'blind15', 'libsession');
    expect(headers['X-SOGS-Signature'].startsWith(v.starts)).toBe(true);
    expect(headers['X-SOGS-Signature'].endsWith(v.ends)).toBe(true);
    expect(verifySogsRequest(parseSogsAuthHeaders({ ...headers })!, request(withBody))).toBe(true);
  });

  it('signs blind25 requests that verify, with a fresh random nonce when none is given', () => {
    const { nonce: _unused, ...noNonce } = parts(true);
    const a = signSogsRequest(fromHex(r.seed), noNonce, 'blind25');
    const b = signSogsRequest(fromHex(r.seed), noNonce, 'blind25');
    expect(a['X-SOGS-Pubkey'].startsWith('25')).toBe(true);
    expect(a['X-SOGS-Nonce']).not.toBe(b['X-SOGS-Nonce']);
    expect(verifySogsRequest(parseSogsAuthHeaders({ ...a })!, request(true))).toBe(true);
  });
});

describe('X-SOGS-* header parsing', () => {
  const good = () => signSogsRequest(fromHex(r.seed), parts(true), 'blind15');

  it('returns null for an anonymous request and reads names case-insensitively', () => {
    expect(parseSogsAuthHeaders({ host: 'x' })).toBeNull();
    const lower = Object.fromEntries(Object.entries(good()).map(([k, val]) => [k.toLowerCase(), val]));
    expect(verifySogsRequest(parseSogsAuthHeaders(lower)!, request(true))).toBe(true);
  });

  it('accepts hex nonce/signature and base64 pubkey', () => {
    const h = good();
    const parsed = parseSogsAuthHeaders({
      'X-SOGS-Pubkey': toBase64(fromHex(h['X-SOGS-Pubkey'])),
      'X-SOGS-Nonce': r.nonceHex,
      'X-SOGS-Timestamp': h['X-SOGS-Timestamp'],
      'X-SOGS-Signature': toHex(fromBase64(h['X-SOGS-Signature'])),
    })!;
    expect(verifySogsRequest(parsed, request(true))).toBe(true);
  });

  it.each(['X-SOGS-Pubkey', 'X-SOGS-Nonce', 'X-SOGS-Timestamp', 'X-SOGS-Signature'] as const)(
    'rejects a request missing %s or sending it empty',
    (name) => {
      const missing: Record<string, string | undefined> = { ...good() };
      delete missing[name];
      expect(expectCryptoError(() => parseSogsAuthHeaders(missing), 'MALFORMED').message).toContain('missing 1/4');
      expectCryptoError(() => parseSogsAuthHeaders({ ...good(), [name]: '' }), 'MALFORMED');
    },
  );

  it.each([
    ['a 05 pubkey', { 'X-SOGS-Pubkey': '05' + '11'.repeat(32) }, 'BAD_KEY'],
    ['a pubkey that is not a point', { 'X-SOGS-Pubkey': '15' + '00'.repeat(32) }, 'BAD_KEY'],
    ['a short pubkey', { 'X-SOGS-Pubkey': '15abcd' }, 'BAD_ENCODING'],
    ['a 15-byte nonce', { 'X-SOGS-Nonce': toBase64(new Uint8Array(15)) }, 'BAD_LENGTH'],
    ['a nonce that is not base64', { 'X-SOGS-Nonce': '!!!!' }, 'BAD_ENCODING'],
    ['a non-decimal timestamp', { 'X-SOGS-Timestamp': '1642472103.5' }, 'MALFORMED'],
    ['a truncated signature', { 'X-SOGS-Signature': toBase64(new Uint8Array(63)) }, 'BAD_LENGTH'],
  ] as const)('rejects %s', (_name, override, code) => {
    expectCryptoError(() => parseSogsAuthHeaders({ ...good(), ...override }), code);
  });

  it('fails verification for a tampered signature, timestamp, path or method', () => {
    const h = good();
    const sig = fromBase64(h['X-SOGS-Signature']);
    sig[10] ^= 1;
    expect(verifySogsRequest(parseSogsAuthHeaders({ ...h, 'X-SOGS-Signature': toBase64(sig) })!, request(true))).toBe(false);
    expect(verifySogsRequest(parseSogsAuthHeaders({ ...h, 'X-SOGS-Timestamp': '1642472104' })!, request(true))).toBe(false);
    const auth = parseSogsAuthHeaders({ ...h })!;
    expect(verifySogsRequest(auth, { ...request(true), path: r.path + '0' })).toBe(false);
    expect(verifySogsRequest(auth, { ...request(true), method: 'POST' })).toBe(false);
  });
});
