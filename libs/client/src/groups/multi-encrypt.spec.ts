// Multi-recipient encryption against libsession's encrypt_for_multiple_simple (vectors/: the
// "kicked" message an admin stores for removed members, with a fixed nonce).
import { concatBytes, ed25519KeyPairFromSeed, fromHex, ready, toHex } from '@starling/crypto';
import vectors from './vectors/libsession-groups.json';
import { decryptForMultipleSimple, encryptForMultipleSimple } from './multi-encrypt';
import { GROUP_SEED, MEMBER_SEEDS } from './test-keys';

const DOMAIN = 'SessionGroupKickedMessage';
const V = vectors as Record<string, string>;
const group = () => ed25519KeyPairFromSeed(fromHex(GROUP_SEED));
const xOf = (i: number) => fromHex(V[`member${i}_session_id`].slice(2));

beforeAll(ready);

it('encrypts one message per recipient exactly as libsession', () => {
  const messages = [2, 3].map((i) => concatBytes(xOf(i), Buffer.from('2')));
  const encoded = encryptForMultipleSimple(messages, [xOf(2), xOf(3)], group().secretKey, DOMAIN, fromHex('000102030405060708090a0b0c0d0e0f1011121314151617'));
  expect(toHex(encoded)).toBe(V.kicked_message);
});

it.each([
  [2, true],
  [3, true],
  [0, false],
  [1, false],
])('member%i opens only its own copy (%s)', (index, opens) => {
  const member = ed25519KeyPairFromSeed(fromHex(MEMBER_SEEDS[index]));
  const plain = decryptForMultipleSimple(fromHex(V.kicked_message), member.secretKey, group().publicKey, DOMAIN);
  if (opens) expect(toHex(plain!)).toBe(toHex(concatBytes(xOf(index), Buffer.from('2'))));
  else expect(plain).toBeUndefined();
});

it('another domain or sender opens nothing, and garbage is not an error', () => {
  const member = ed25519KeyPairFromSeed(fromHex(MEMBER_SEEDS[2]));
  expect(decryptForMultipleSimple(fromHex(V.kicked_message), member.secretKey, group().publicKey, 'OtherDomain')).toBeUndefined();
  expect(decryptForMultipleSimple(fromHex(V.kicked_message), member.secretKey, member.publicKey, DOMAIN)).toBeUndefined();
  expect(decryptForMultipleSimple(new Uint8Array([0x64, 0x65]), member.secretKey, group().publicKey, DOMAIN)).toBeUndefined();
  expect(decryptForMultipleSimple(new Uint8Array([0xff]), member.secretKey, group().publicKey, DOMAIN)).toBeUndefined();
});
