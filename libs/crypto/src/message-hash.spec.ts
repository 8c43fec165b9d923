import { expectCryptoError } from '../test/expect-crypto-error';
import { fromBase64, fromHex, utf8 } from './encoding';
import { messageHash } from './message-hash';
import { ready } from './sodium';
import { messageHashVectors } from './vectors/message-hash.vectors';

beforeAll(ready);

describe('message hash vectors', () => {
  it.each(messageHashVectors.map((v) => [v.source, v] as const))('%s', (_source, v) => {
    const data = v.dataBase64 !== undefined ? fromBase64(v.dataBase64) : utf8(v.dataUtf8!);
    const hash = messageHash(fromHex(v.accountId, 33), v.namespace, data);
    expect(hash).toBe(v.hash);
    expect(hash).toHaveLength(43);
  });

  it('has the 347-byte upstream payload', () => {
    expect(fromBase64(messageHashVectors[0].dataBase64!)).toHaveLength(347);
  });
});

describe('message hash inputs', () => {
  const { accountId } = messageHashVectors[1];
  const account = fromHex(accountId);
  const data = utf8('hello');

  it('depends on the namespace, the prefix byte and the data', () => {
    const base = messageHash(account, 0, data);
    expect(messageHash(account, 2, data)).not.toBe(base);
    expect(messageHash(account, -10, data)).not.toBe(messageHash(account, 10, data));
    const group = account.slice();
    group[0] = 0x03;
    expect(messageHash(group, 0, data)).not.toBe(base);
    expect(messageHash(account, 0, utf8('hellp'))).not.toBe(base);
  });

  it('puts the namespace in as ASCII decimal', () => {
    // ns 1 with data "x" hashes the same bytes as ns 0 with data "1x".
    expect(messageHash(account, 1, utf8('x'))).toBe(messageHash(account, 0, utf8('1x')));
    expect(messageHash(account, -5, utf8('x'))).toBe(messageHash(account, 0, utf8('-5x')));
  });

  it('rejects a 32-byte key and an out-of-range namespace', () => {
    expectCryptoError(() => messageHash(account.subarray(1), 0, data), 'BAD_LENGTH');
    expectCryptoError(() => messageHash(account, 32768, data), 'MALFORMED');
    expectCryptoError(() => messageHash(account, -32769, data), 'MALFORMED');
    expectCryptoError(() => messageHash(account, 1.5, data), 'MALFORMED');
  });
});
