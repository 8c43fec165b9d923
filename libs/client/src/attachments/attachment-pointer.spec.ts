import { createHash } from 'crypto';
import { decryptAttachment, generateIdentity, ready, toHex } from '@starling/crypto';
import { MemoryFileServer } from '../../test/support/memory-file-server';
import { decodeMessage, encodeMessage } from '../messaging/wire';
import { readAttachmentPointer } from './attachment-pointer';
import { checkAttachmentSize, uploadAttachment } from './attachment-upload';
import { parseFileServer } from './file-server';
import { locateFile } from './file-location';
import { ProgressEvent } from './progress';

const SERVER = parseFileServer('http://127.0.0.1:8400/', 'ab'.repeat(32));

describe('building the attachment pointer of an upload', () => {
  beforeAll(() => ready());

  it('carries url, 64-byte key, digest of the uploaded blob, unpadded size, type and name', async () => {
    const files = new MemoryFileServer();
    const data = Buffer.from('a small note, padded to 541 bytes before encryption');
    const events: ProgressEvent[] = [];
    const { pointer, file } = await uploadAttachment(files, SERVER, data, { fileName: 'note.txt', contentType: 'text/plain' }, { pad: true, onProgress: (e) => events.push(e) });

    const stored = files.only();
    expect(file.id).toBe(stored.id);
    expect(pointer.url).toBe(`http://127.0.0.1:8400/file/${stored.id}#p=${'ab'.repeat(32)}`);
    expect(pointer.key).toHaveLength(64);
    expect(toHex(pointer.digest!)).toBe(createHash('sha256').update(stored.blob).digest('hex'));
    expect(pointer.size).toBe(data.length);
    expect(pointer.contentType).toBe('text/plain');
    expect(pointer.fileName).toBe('note.txt');
    // Padded to 541 bytes, then IV 16 + PKCS#7 to 544 + MAC 32.
    expect(stored.blob).toHaveLength(16 + 544 + 32);
    expect(Buffer.from(decryptAttachment(stored.blob, pointer.key!, pointer.digest!, pointer.size))).toEqual(data);
    expect(files.requests).toEqual([{ server: { host: '127.0.0.1', port: 8400, protocol: 'http', x25519: 'ab'.repeat(32) }, method: 'POST', endpoint: '/file' }]);
    expect(events.map((e) => `${e.phase}:${e.state}:${e.bytes}`)).toEqual([
      `encrypt:start:${data.length}`,
      `encrypt:done:${data.length}`,
      'upload:start:592',
      'upload:done:592',
    ]);
  });

  it('survives the trip inside a 1:1 message and reads back as the same attachment', async () => {
    const files = new MemoryFileServer();
    const { pointer } = await uploadAttachment(files, SERVER, Buffer.from('x'), { fileName: 'x.bin', contentType: 'application/octet-stream' }, { pad: true });
    const alice = generateIdentity().identity;
    const bob = generateIdentity().identity;
    const data = encodeMessage(alice.ed25519.secretKey, bob.sessionId, { dataMessage: { attachments: [pointer] } }, 1_700_000_000_000);
    const received = decodeMessage(bob.x25519, data).content.dataMessage!.attachments!;
    expect(received).toHaveLength(1);
    const attachment = readAttachmentPointer(received[0]);
    expect(attachment).toEqual({
      url: pointer.url,
      key: new Uint8Array(pointer.key!),
      digest: new Uint8Array(pointer.digest!),
      size: 1,
      contentType: 'application/octet-stream',
      fileName: 'x.bin',
    });
    expect(locateFile(attachment.url)).toEqual({ server: SERVER, id: files.only().id });
  });

  it('refuses a file over 10,000,000 bytes before anything is encrypted or sent', async () => {
    expect(() => checkAttachmentSize(10_000_000)).not.toThrow();
    expect(() => checkAttachmentSize(10_000_001)).toThrow('the file is 10,000,001 bytes; attachments can be at most 10,000,000 bytes');
    const files = new MemoryFileServer();
    const events: ProgressEvent[] = [];
    await expect(
      uploadAttachment(files, SERVER, new Uint8Array(10_000_001), { contentType: 'application/octet-stream' }, { pad: true, onProgress: (e) => events.push(e) }),
    ).rejects.toThrow(/at most 10,000,000 bytes/);
    expect(files.requests).toEqual([]);
    expect(events).toEqual([]);
  });

  it('reports a 413 from the file server as a clear refusal', async () => {
    const files = new MemoryFileServer(100);
    await expect(uploadAttachment(files, SERVER, new Uint8Array(200), { contentType: 'a/b' }, { pad: false })).rejects.toThrow(/refused the upload of 256 encrypted bytes as too large \(413\)/);
  });

  const good = { url: 'http://h/file/abc#p=' + 'cd'.repeat(32), key: new Uint8Array(64), digest: new Uint8Array(32), size: 3, deprecatedId: 0 };
  it.each([
    ['no URL', { ...good, url: undefined }, /no URL/],
    ['a 32-byte key', { ...good, key: new Uint8Array(32) }, /key is not 64 bytes/],
    ['no digest', { ...good, digest: undefined }, /no digest; ask the sender to update/],
    ['a size over the limit', { ...good, size: 10_000_001 }, /size 10000001 is not between/],
    ['no size', { ...good, size: undefined }, /size undefined/],
  ])('refuses a received pointer with %s', (_name, pointer, message) => {
    expect(() => readAttachmentPointer(pointer)).toThrow(message);
  });
});
