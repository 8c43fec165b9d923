// Group messages: libsession's ciphertexts (vectors/, random nonces) decrypt to the author and
// plaintext; our own messages round-trip, pad to 256, compress when that is smaller, and fail
// for anyone without the key. Envelope wrapping as encode_for_group writes it.
import { ed25519KeyPairFromSeed, fromHex, ready, toHex } from '@starling/crypto';
import { loadZstd } from '../config/zstd';
import { Envelope } from '../messaging/session-protos';
import vectors from './vectors/libsession-groups.json';
import { decodeGroupContent, encodeGroupContent } from './group-message';
import { decryptGroupMessage, encryptGroupMessage, GroupDecryptError } from './group-message-crypto';
import { ADMIN_SEED, MEMBER_SEEDS } from './test-keys';

const V = vectors as Record<string, string>;
const key = (generation: number) => fromHex(V[`enc_key_gen${generation}`]);

beforeAll(async () => {
  await ready();
  await loadZstd();
});

describe('messages encrypted by libsession', () => {
  it.each([
    ['the admin, short text', V.message_by_admin, V.admin_session_id, Buffer.from('hello group')],
    ['the admin, 2000 bytes (compressed)', V.message_long_by_admin, V.admin_session_id, Buffer.alloc(2000, 'x')],
    ['member0', V.message_by_member0, V.member0_session_id, Buffer.from('hello from member0')],
  ])('%s', (_what, ciphertext, author, plaintext) => {
    const opened = decryptGroupMessage([key(0), key(1), key(2)], fromHex(ciphertext));
    expect(opened.author).toBe(author);
    expect(Buffer.from(opened.plaintext)).toEqual(plaintext);
    expect(fromHex(ciphertext).length % 256).toBe(0);
  });

  it('a removed member, holding only generation 1, cannot read what was sent with generation 2', () => {
    expect(() => decryptGroupMessage([key(1)], fromHex(V.message_by_admin))).toThrow(/unable to decrypt/);
  });
});

describe('messages we encrypt', () => {
  const author = () => ed25519KeyPairFromSeed(fromHex(MEMBER_SEEDS[1]));

  it.each([1, 100, 215, 216, 217, 1000])('%i bytes round-trip, padded to a multiple of 256', (size) => {
    const plaintext = Uint8Array.from({ length: size }, (_, i) => (i * 7919) & 0xff);
    const sealed = encryptGroupMessage(author().secretKey, key(2), plaintext);
    expect(sealed.length % 256).toBe(0);
    const opened = decryptGroupMessage([key(1), key(2)], sealed);
    expect(opened.author).toBe(V.member1_session_id);
    expect(toHex(opened.plaintext)).toBe(toHex(plaintext));
  });

  it('compresses repetitive text (it fits in 256 bytes)', () => {
    const sealed = encryptGroupMessage(author().secretKey, key(2), Buffer.alloc(5000, 'a'));
    expect(sealed.length).toBe(256);
  });

  it('refuses tampered bytes and a forged author', () => {
    const sealed = encryptGroupMessage(author().secretKey, key(2), Buffer.from('x'));
    sealed[40] ^= 1;
    expect(() => decryptGroupMessage([key(2)], sealed)).toThrow(GroupDecryptError);
    expect(() => decryptGroupMessage([key(2)], new Uint8Array(10))).toThrow(/too small/);
  });
});

describe('envelopes', () => {
  it('wraps Content as libsession encode_for_group and reads it back', () => {
    const admin = ed25519KeyPairFromSeed(fromHex(ADMIN_SEED));
    const sealed = encodeGroupContent(admin.secretKey, key(2), { dataMessage: { body: 'hi all' } }, 1700000000123);
    const { plaintext } = decryptGroupMessage([key(2)], sealed);
    const envelope = Envelope.toObject(Envelope.decode(plaintext), { longs: Number }) as Record<string, unknown>;
    expect(envelope).toMatchObject({ type: 7, sourceDevice: 1, timestamp: 1700000000123 });
    expect((envelope.proSig as Uint8Array).length).toBe(64);
    const decoded = decodeGroupContent([key(2)], sealed);
    expect(decoded).toMatchObject({ author: V.admin_session_id, sentAtMs: 1700000000123, content: { dataMessage: { body: 'hi all' } } });
  });
});
