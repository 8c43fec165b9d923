import { ready, sodium } from '@starling/crypto';
import { FileIdHasher, fileIdOf, isFileId } from './file-id';

describe('file ids', () => {
  beforeAll(() => ready());

  const oneCall = (bytes: Uint8Array) => Buffer.from(sodium().crypto_generichash(33, bytes, Buffer.from('SessionFileSvr\0\0', 'latin1'))).toString('base64url');

  it('are the keyed 33-byte BLAKE2b of the bytes in URL-safe base64 (44 characters)', async () => {
    const bytes = Buffer.from('attachment bytes');
    const expected = oneCall(bytes);
    expect(await fileIdOf(bytes)).toBe(expected);
    expect(expected).toHaveLength(44);
    expect(isFileId(expected)).toBe(true);
  });

  it('of a large upload, hashed over several turns, are its hash in one call', async () => {
    const bytes = Buffer.from(Array.from({ length: 1_000_003 }, (_, i) => (i * 31) & 0xff));
    expect(await fileIdOf(bytes)).toBe(oneCall(bytes));
  });

  it('do not depend on how the upload was chunked', async () => {
    const bytes = Buffer.alloc(100_000, 7);
    const hasher = new FileIdHasher();
    for (let at = 0; at < bytes.length; at += 9_999) await hasher.update(bytes.subarray(at, at + 9_999));
    expect(hasher.digest()).toBe(await fileIdOf(bytes));
    expect(await fileIdOf(Buffer.alloc(100_000, 8))).not.toBe(await fileIdOf(bytes));
  });

  it.each(['', 'a'.repeat(43), 'a'.repeat(45), `${'a'.repeat(43)}/`, `${'a'.repeat(43)}=`, '1234'])('rejects %j', (text) => {
    expect(isFileId(text)).toBe(false);
  });
});
