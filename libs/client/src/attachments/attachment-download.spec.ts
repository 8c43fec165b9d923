import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { ready } from '@starling/crypto';
import { MemoryFileServer } from '../../test/support/memory-file-server';
import { AttachmentTampered, downloadAttachment, safeFileName, saveAttachment } from './attachment-download';
import { readAttachmentPointer, ReceivedAttachment } from './attachment-pointer';
import { uploadAttachment } from './attachment-upload';
import { parseFileServer } from './file-server';

const SERVER = parseFileServer('http://127.0.0.1:8400', 'ab'.repeat(32));
const DIGEST = new Uint8Array(32).fill(0xee);

describe('downloading and saving an attachment', () => {
  let dir: string;
  beforeAll(() => ready());
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'starling-attachments-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  async function uploaded(data: Uint8Array, fileName = 'report.pdf'): Promise<{ files: MemoryFileServer; attachment: ReceivedAttachment }> {
    const files = new MemoryFileServer();
    const { pointer } = await uploadAttachment(files, SERVER, data, { fileName, contentType: 'application/pdf' }, { pad: true });
    return { files, attachment: readAttachmentPointer(pointer) };
  }

  it('saves the exact bytes (padding cut at size) under the sender’s name, leaving no temporary file', async () => {
    const data = Buffer.from('%PDF-1.7 four kilobytes of report'.repeat(120));
    const { files, attachment } = await uploaded(data);
    const path = await downloadAttachment(files, attachment, join(dir, 'downloads'), undefined);
    expect(path).toBe(join(dir, 'downloads', 'report.pdf'));
    expect(readFileSync(path)).toEqual(data);
    expect(readdirSync(join(dir, 'downloads'))).toEqual(['report.pdf']);
  });

  it('never overwrites an existing file: the second copy gets a numbered name', async () => {
    writeFileSync(join(dir, 'report.pdf'), 'mine');
    const { files, attachment } = await uploaded(Buffer.from('theirs'));
    expect(await downloadAttachment(files, attachment, dir, undefined)).toBe(join(dir, 'report (1).pdf'));
    expect(await downloadAttachment(files, attachment, dir, undefined)).toBe(join(dir, 'report (2).pdf'));
    expect(readFileSync(join(dir, 'report.pdf'), 'utf8')).toBe('mine');
    expect(readFileSync(join(dir, 'report (2).pdf'), 'utf8')).toBe('theirs');
    expect(readdirSync(dir).sort()).toEqual(['report (1).pdf', 'report (2).pdf', 'report.pdf']);
  });

  it.each([
    ['a flipped ciphertext byte', (b: Uint8Array) => flip(b, 40), /MAC does not match/],
    ['a flipped MAC byte', (b: Uint8Array) => flip(b, b.length - 1), /MAC does not match/],
    ['a blob cut short by one block', (b: Uint8Array) => b.slice(0, b.length - 16), /MAC does not match/],
    ['a blob cut to a few bytes', (b: Uint8Array) => b.slice(0, 20), /impossible length/],
    ['an empty blob', () => new Uint8Array(0), /impossible length/],
  ])('detects %s and saves nothing', async (_name, damage, detail) => {
    const { files, attachment } = await uploaded(Buffer.from('the real contents'));
    const { id, blob } = files.only();
    files.blobs.set(id, damage(blob));
    const attempt = downloadAttachment(files, attachment, dir, undefined);
    await expect(attempt).rejects.toThrow(AttachmentTampered);
    await expect(downloadAttachment(files, attachment, dir, undefined)).rejects.toThrow(detail);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('detects a blob swapped for another validly encrypted one (MAC of another key)', async () => {
    const { files, attachment } = await uploaded(Buffer.from('the real contents'));
    const other = await uploaded(Buffer.from('something else'));
    files.blobs.set(files.only().id, other.files.only().blob);
    await expect(downloadAttachment(files, attachment, dir, undefined)).rejects.toThrow(/failed verification \(attachment MAC does not match\).*nothing was saved/);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('detects a wrong digest in the pointer even when the MAC is right', async () => {
    const { files, attachment } = await uploaded(Buffer.from('the real contents'));
    await expect(downloadAttachment(files, { ...attachment, digest: DIGEST }, dir, undefined)).rejects.toThrow(/digest does not match/);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('reports a file gone from the server (404) without saving anything', async () => {
    const { files, attachment } = await uploaded(Buffer.from('short-lived'));
    files.blobs.clear();
    await expect(downloadAttachment(files, attachment, dir, undefined)).rejects.toThrow(/not on the file server \(expired or never uploaded\)/);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('writes through a temporary name and removes it when no final name can be taken', () => {
    const names = ['a.txt', ...Array.from({ length: 999 }, (_, n) => `a (${n + 1}).txt`)];
    for (const name of names) writeFileSync(join(dir, name), 'old');
    expect(() => saveAttachment(dir, { fileName: 'a.txt', digest: DIGEST }, Buffer.from('new'))).toThrow(/too many files named like a.txt/);
    expect(readdirSync(dir).sort()).toEqual(names.sort());
    expect(readFileSync(join(dir, 'a.txt'), 'utf8')).toBe('old');
  });

  it('reports a folder it cannot create as one clear line', () => {
    const target = join(dir, 'taken');
    writeFileSync(target, 'a file where the folder should be');
    expect(() => saveAttachment(target, { fileName: 'a.txt', digest: DIGEST }, Buffer.from('x'))).toThrow(/cannot save the attachment in .*taken: EEXIST/);
    expect(readdirSync(dir)).toEqual(['taken']);
  });

  it.each([
    ['../../etc/passwd', 'passwd'],
    ['C:\\Users\\me\\evil.exe', 'evil.exe'],
    ['.bashrc', 'bashrc'],
    ['..', 'attachment-eeeeeeeeeeee'],
    ['', 'attachment-eeeeeeeeeeee'],
    [undefined, 'attachment-eeeeeeeeeeee'],
    ['bell\u0007\nname.txt', 'bell__name.txt'],
    ['x'.repeat(300) + '.jpg', 'x'.repeat(116) + '.jpg'],
  ])('keeps a sender’s file name %j inside the folder as %j', (given, expected) => {
    expect(safeFileName(given, DIGEST)).toBe(expected);
  });
});

function flip(blob: Uint8Array, at: number): Uint8Array {
  const copy = Uint8Array.from(blob);
  copy[at] ^= 0x01;
  return copy;
}
