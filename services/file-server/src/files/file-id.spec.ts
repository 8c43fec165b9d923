import { ready, sodium } from '@starling/crypto';
import { FileIdHasher, fileIdOf, isFileId } from './file-id';

describe('file ids', () => {
  beforeAll(() => ready());

  it('are the keyed 33-byte BLAKE2b of the bytes in URL-safe base64 (44 characters)', () => {
    const bytes = Buffer.from('attachment bytes');
    const expected = Buffer.from(sodium().crypto_generichash(33, bytes, Buffer.from('SessionFileSvr\0\0', 'latin1'))).toString('base64url');
    expect(fileIdOf(bytes)).toBe(expected);
    expect(expected).toHaveLength(44);
    expect(isFileId(expected)).toBe(true);
  });

  it('do not depend on how the upload was chunked', () => {
    const bytes = Buffer.alloc(100_000, 7);
    const hasher = new FileIdHasher();
    for (let at = 0; at < bytes.length; at += 9_999) hasher.update(bytes.subarray(at, at + 9_999));
    expect(hasher.digest()).toBe(fileIdOf(bytes));
    expect(fileIdOf(Buffer.alloc(100_000, 8))).not.toBe(fileIdOf(bytes));
  });

  it.each(['', 'a'.repeat(43), 'a'.repeat(45), `${'a'.repeat(43)}/`, `${'a'.repeat(43)}=`, '1234'])('rejects %j', (text) => {
    expect(isFileId(text)).toBe(false);
  });
});
