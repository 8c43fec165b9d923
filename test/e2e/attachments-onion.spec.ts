// Attachments through the whole local network: files encrypted on the client, uploaded and
// downloaded with onion requests through 3-hop paths of entry relays to the file server, byte-identical
// on the way back; the size limit holds before anything is sent; a blob damaged on the server is
// caught and nothing is saved; and the server's storage never holds a byte of plaintext.
import { createHash, randomBytes } from 'crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import {
  AttachmentTampered,
  downloadAttachment,
  downloadBlob,
  EXIT_CODES,
  fetchServiceNodes,
  FileServer,
  locateFile,
  nodeUrl,
  parseFileServer,
  readAttachmentPointer,
  runCli,
  StarlingNetwork,
  uploadAttachment,
} from '@starling/client';
import { attachmentPaddedSize, generateIdentity, ready } from '@starling/crypto';
import { eventually, request } from '@starling/platform';
import { attachmentNetwork, type AttachmentNetwork } from './support/attachment-network';

/** Put into every test file; it must never show up in the file server's storage. */
const MARKER = Buffer.from('STARLING-PLAINTEXT-MARKER-7f3a9c');

let net: AttachmentNetwork;
let network: StarlingNetwork;
let server: FileServer;
let dir: string;

beforeAll(async () => {
  await ready();
  net = await attachmentNetwork();
  const sessionId = generateIdentity().identity.sessionId;
  // Relays join the seed's list once they announced, and pass a client's guard test once they
  // follow the network map (they answer get_swarm by asking a storage node).
  await eventually(async () => {
    const relays = (await fetchServiceNodes(net.seedUrl)).filter((n) => n.role === 'relay');
    if (relays.length < 4) throw new Error(`${relays.length} relays listed`);
    for (const relay of relays) {
      const reply = await request(nodeUrl(relay, '/storage_rpc/v1'), { method: 'POST', body: JSON.stringify({ method: 'get_swarm', params: { pubkey: sessionId } }) });
      if (reply.status !== 200) throw new Error(`relay ${relay.port} answered ${reply.status}`);
    }
  }, { timeoutMs: 60_000, intervalMs: 250 });
  network = await StarlingNetwork.connect({ seedUrl: net.seedUrl, sessionId, timeoutMs: 30_000 });
  server = parseFileServer(net.fileServer.url, net.fileServer.key);
  dir = mkdtempSync(join(tmpdir(), 'starling-attachments-e2e-'));
}, 180_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Random bytes with the marker at the start and in the middle (when it fits). */
function testFile(size: number): Buffer {
  const data = randomBytes(size);
  if (size >= MARKER.length) MARKER.copy(data, 0);
  if (size >= 2 * MARKER.length) MARKER.copy(data, Math.floor(size / 2));
  return data;
}

function storedBlobPath(id: string): string {
  return join(net.fileServer.blobDir, id.slice(0, 2), id);
}

function filesUnder(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((e) => {
    const p = join(folder, e.name);
    return e.isDirectory() ? filesUnder(p) : e.isFile() ? [p] : [];
  });
}

describe('attachments through onion paths on the local network', () => {
  it.each([0, 1, 541, 5_000_000, 10_000_000])('a %d-byte file comes back byte-identical', async (size) => {
    const data = testFile(size);
    const { pointer, file } = await uploadAttachment(network.onion, server, data, { fileName: `file-${size}.bin`, contentType: 'application/octet-stream' }, { pad: true });
    const attachment = readAttachmentPointer(pointer);
    expect(attachment.size).toBe(size);
    expect(locateFile(attachment.url)).toEqual({ server, id: file.id });

    // What the server keeps is the encrypted blob: same bytes as served, padded, not the file.
    const blob = await downloadBlob(network.onion, server, file.id);
    expect(readFileSync(storedBlobPath(file.id)).equals(Buffer.from(blob))).toBe(true);
    expect(blob.length).toBeGreaterThanOrEqual(Math.max(size, 541) + 48);
    expect(createHash('sha256').update(blob).digest().equals(Buffer.from(attachment.digest))).toBe(true);

    const saved = await downloadAttachment(network.onion, attachment, join(dir, `round-trip-${size}`), undefined);
    const back = readFileSync(saved);
    expect(back.length).toBe(size);
    expect(back.equals(data)).toBe(true);
  });

  it("links carry the file server's Ed25519 key as Session apps write it, and links of the old form (its X25519 key) still open", async () => {
    const data = testFile(2_000);
    const { pointer, file } = await uploadAttachment(network.onion, server, data, { fileName: 'keys.bin', contentType: 'application/octet-stream' }, { pad: true });
    expect(pointer.url).toBe(`${net.fileServer.url}/file/${file.id}#p=${net.fileServer.key}`);
    const attachment = readAttachmentPointer(pointer);
    const oldForm = { ...attachment, url: `${net.fileServer.url}/file/${file.id}#p=${net.fileServer.x25519}` };
    for (const [name, a] of [['new', attachment], ['old', oldForm]] as const) {
      const back = readFileSync(await downloadAttachment(network.onion, a, join(dir, `link-${name}`), undefined));
      expect(back.equals(data)).toBe(true);
    }
  });

  it('refuses a 10,000,001-byte file before anything reaches the file server', async () => {
    const before = filesUnder(net.fileServer.blobDir).length;
    await expect(
      uploadAttachment(network.onion, server, Buffer.alloc(10_000_001, 7), { contentType: 'application/octet-stream' }, { pad: true }),
    ).rejects.toThrow('the file is 10,000,001 bytes; attachments can be at most 10,000,000 bytes');
    expect(filesUnder(net.fileServer.blobDir)).toHaveLength(before);
  });

  it.each([
    ['one flipped byte', (path: string) => {
      const bytes = readFileSync(path);
      bytes[100] ^= 0x01;
      writeFileSync(path, bytes);
    }],
    ['the last block cut off', (path: string) => truncateSync(path, statSync(path).size - 16)],
  ])('detects a stored blob with %s and saves nothing', async (_name, damage) => {
    const data = testFile(4_000);
    const { pointer, file } = await uploadAttachment(network.onion, server, data, { fileName: 'secret.pdf', contentType: 'application/pdf' }, { pad: true });
    damage(storedBlobPath(file.id));
    const target = join(dir, `tampered-${file.id}`);
    await expect(downloadAttachment(network.onion, readAttachmentPointer(pointer), target, undefined)).rejects.toThrow(AttachmentTampered);
    expect(() => readdirSync(target)).toThrow(/ENOENT/);
  });

  it('leaves no plaintext anywhere in the file server’s storage', () => {
    const files = filesUnder(net.fileServer.dataDir);
    // Not a vacuous search: the uploads above are there (5 round trips and 2 damaged blobs at least).
    expect(filesUnder(net.fileServer.blobDir).filter((p) => !p.includes('.uploads')).length).toBeGreaterThanOrEqual(7);
    const holding = files.filter((p) => readFileSync(p).includes(MARKER));
    expect(holding).toEqual([]);
    // The same search does find the marker where plaintext is: the files saved by the client.
    expect(filesUnder(dir).filter((p) => readFileSync(p).includes(MARKER)).length).toBeGreaterThanOrEqual(3);
  });
});

describe('starling send --file and starling inbox', () => {
  // Files and messages both go through the CLI's own onion paths.
  async function cli(home: string, ...argv: string[]) {
    let out = '';
    let err = '';
    const code = await runCli(['--home', home, '--seed-url', net.seedUrl, ...argv], { out: (t) => (out += t), err: (t) => (err += t) }, { env: {} });
    return { code, out, err };
  }

  async function account(name: string): Promise<{ home: string; sessionId: string }> {
    const home = join(dir, `${name}-home`);
    const created = await cli(home, 'init', '--json');
    expect(created.code).toBe(0);
    return { home, sessionId: JSON.parse(created.out).session_id };
  }

  it('sends a file with text, and the recipient’s inbox saves the identical file and says where', async () => {
    const alice = await account('alice');
    const bob = await account('bob');
    const data = testFile(200_000);
    const path = join(dir, 'holiday photo.jpg');
    writeFileSync(path, data);

    const sent = await cli(alice.home, '--file-server', net.fileServer.url, '--file-server-key', net.fileServer.key, 'send', bob.sessionId, 'the photo', '--file', path);
    // One phase after another, with byte counts; no percentages.
    const blobBytes = (16 + (Math.floor(attachmentPaddedSize(200_000) / 16) + 1) * 16 + 32).toLocaleString('en');
    expect({ code: sent.code, err: sent.err }).toEqual({ code: 0, err: `holiday photo.jpg: encrypt 200,000 B ... ok | upload ${blobBytes} B ... ok | done\n` });
    expect(sent.out).toMatch(/^Sent to 05[0-9a-f]{64} at .*, 1 file\(s\)\)$/m);
    // Remembered for the next send: no options needed.
    expect(JSON.parse(readFileSync(join(alice.home, 'file-server.json'), 'utf8'))).toEqual({ url: net.fileServer.url, key: net.fileServer.key });
    const again = await cli(alice.home, 'send', bob.sessionId, '--file', path, '--json');
    expect(again.code).toBe(0);
    expect(JSON.parse(again.out).files).toEqual([{ file_name: 'holiday photo.jpg', size: 200_000, url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/file\/[A-Za-z0-9_-]{44}#p=[0-9a-f]{64}$/) }]);

    // Bob never configured a file server: the URL's #p= names the key.
    const saveDir = join(dir, 'bob-saved');
    const seen: string[] = [];
    await eventually(async () => {
      const inbox = await cli(bob.home, 'inbox', '--save-dir', saveDir);
      expect(inbox.code).toBe(0);
      seen.push(inbox.out);
      if (!seen.join('').includes('holiday photo (1).jpg')) throw new Error('both messages not seen yet');
    }, { timeoutMs: 30_000, intervalMs: 500 });
    const all = seen.join('');
    expect(all).toContain(`from ${alice.sessionId}`);
    expect(all).toContain('  the photo\n');
    expect(all).toContain(`  [file] holiday photo.jpg (200,000 bytes) saved to ${join(saveDir, 'holiday photo.jpg')}\n`);
    expect(readFileSync(join(saveDir, 'holiday photo.jpg')).equals(data)).toBe(true);
    expect(readFileSync(join(saveDir, 'holiday photo (1).jpg')).equals(data)).toBe(true);
    expect(readdirSync(saveDir).sort()).toEqual(['holiday photo (1).jpg', 'holiday photo.jpg']);
  });

  it('refuses a 10,000,001-byte file with one clear line and sends nothing', async () => {
    const alice = await account('carol');
    const path = join(dir, 'big.bin');
    writeFileSync(path, Buffer.alloc(10_000_001));
    const before = filesUnder(net.fileServer.blobDir).length;
    const sent = await cli(alice.home, '--file-server', net.fileServer.url, '--file-server-key', net.fileServer.key, 'send', alice.sessionId, '--file', path);
    expect(sent).toEqual({ code: EXIT_CODES.input, out: '', err: 'starling: the file is 10,000,001 bytes; attachments can be at most 10,000,000 bytes\n' });
    expect(filesUnder(net.fileServer.blobDir)).toHaveLength(before);
  });

  it('reports a tampered attachment in the inbox, saves nothing, and exits as refused', async () => {
    const alice = await account('dave');
    const bob = await account('erin');
    const path = join(dir, 'contract.pdf');
    writeFileSync(path, testFile(3_000));
    const sent = await cli(alice.home, '--file-server', net.fileServer.url, '--file-server-key', net.fileServer.key, 'send', bob.sessionId, '--file', path, '--json');
    // Under --json the phase lines stay off stderr.
    expect({ code: sent.code, err: sent.err }).toEqual({ code: 0, err: '' });
    const id = /\/file\/([A-Za-z0-9_-]{44})#/.exec(JSON.parse(sent.out).files[0].url)![1];
    const stored = readFileSync(storedBlobPath(id));
    stored[stored.length - 40] ^= 0x80;
    writeFileSync(storedBlobPath(id), stored);

    const saveDir = join(dir, 'erin-saved');
    const inbox = await eventually(async () => {
      const run = await cli(bob.home, 'inbox', '--save-dir', saveDir, '--json');
      if (!run.out.includes('contract.pdf')) throw new Error('not arrived yet');
      return run;
    }, { timeoutMs: 30_000, intervalMs: 500 });
    expect(inbox.code).toBe(EXIT_CODES.refused);
    const [message] = JSON.parse(inbox.out).messages;
    expect(message.attachments).toEqual([
      { file_name: 'contract.pdf', content_type: 'application/pdf', size: 3_000, saved_to: null, error: expect.stringMatching(/failed verification \(attachment MAC does not match\)/) },
    ]);
    expect(JSON.parse(inbox.err)).toEqual({ error: { kind: 'refused', message: '1 attachment(s) could not be saved (see their "error")', exit_code: EXIT_CODES.refused } });
    expect(() => readdirSync(saveDir)).toThrow(/ENOENT/);
  });
});
