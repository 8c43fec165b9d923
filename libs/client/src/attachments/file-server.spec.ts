import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { fileUrl, locateFile } from './file-location';
import { ed25519KeyPairFromSeed, ed25519PublicKeyToX25519, ready, toHex } from '@starling/crypto';
import { onionKeysOf, serverAddressOf } from '../network/known-server';
import { FILE_SERVER_FILE, parseFileServer, requireFileServer, resolveFileServer } from './file-server';

const KEY = 'AB'.repeat(32);
const key = KEY.toLowerCase();

beforeAll(() => ready());

describe('the configured file server', () => {
  let home: string;
  beforeEach(() => (home = mkdtempSync(join(tmpdir(), 'starling-fs-config-'))));
  afterEach(() => rmSync(home, { recursive: true, force: true }));

  it('is remembered in the data folder once given, and used without options afterwards', () => {
    expect(resolveFileServer(home, {})).toBeUndefined();
    expect(resolveFileServer(home, { url: 'http://127.0.0.1:8400/', key: KEY })).toEqual({ url: 'http://127.0.0.1:8400', key });
    expect(JSON.parse(readFileSync(join(home, FILE_SERVER_FILE), 'utf8'))).toEqual({ url: 'http://127.0.0.1:8400', key });
    expect(requireFileServer(home, {})).toEqual({ url: 'http://127.0.0.1:8400', key });
    // A new URL alone keeps the stored key.
    expect(resolveFileServer(home, { url: 'https://files.example' })).toEqual({ url: 'https://files.example', key });
  });

  it.each([
    [{ url: 'http://h' }, /needs its key/],
    [{ key: KEY }, /without its URL/],
    [{ url: 'ftp://h', key: KEY }, /http or https/],
    [{ url: 'not a url', key: KEY }, /not a URL/],
    [{ url: 'http://h/?x=1', key: KEY }, /query/],
    [{ url: 'http://h', key: 'ab' }, /64 hex/],
  ])('refuses %j with a clear line and stores nothing', (given, message) => {
    expect(() => resolveFileServer(home, given)).toThrow(message);
    expect(() => readFileSync(join(home, FILE_SERVER_FILE))).toThrow();
  });

  it('says what to pass when none is configured', () => {
    expect(() => requireFileServer(home, {})).toThrow(/--file-server <url> and --file-server-key <hex>.*STARLING_FILE_SERVER/);
  });

  it('reports a damaged stored file instead of guessing', () => {
    writeFileSync(join(home, FILE_SERVER_FILE), '{nope');
    expect(() => resolveFileServer(home, {})).toThrow(/damaged/);
  });

  it('gives the onion destination from the URL', () => {
    expect(serverAddressOf(parseFileServer('https://files.example', KEY), key)).toEqual({ host: 'files.example', port: 443, protocol: 'https', x25519: key });
    expect(serverAddressOf(parseFileServer('http://10.0.0.7:8400', KEY), key)).toEqual({ host: '10.0.0.7', port: 8400, protocol: 'http', x25519: key });
  });

  it("tries the X25519 key derived from the server's Ed25519 key first, then the key itself (links from before)", () => {
    const ed25519 = ed25519KeyPairFromSeed(new Uint8Array(32).fill(5)).publicKey;
    const server = parseFileServer('http://10.0.0.7:8400', toHex(ed25519));
    expect(onionKeysOf(server)).toEqual([toHex(ed25519PublicKeyToX25519(ed25519)), toHex(ed25519)]);
    // Not a point on the curve at all: only an X25519 key.
    expect(onionKeysOf(parseFileServer('http://10.0.0.7:8400', 'ff'.repeat(32)))).toEqual(['ff'.repeat(32)]);
  });

  it('reads a stored file from before, which named the key x25519', () => {
    writeFileSync(join(home, FILE_SERVER_FILE), JSON.stringify({ url: 'http://127.0.0.1:8400', x25519: key }));
    expect(resolveFileServer(home, {})).toEqual({ url: 'http://127.0.0.1:8400', key });
  });
});

describe('attachment URLs', () => {
  const server = parseFileServer('http://127.0.0.1:8400', KEY);

  it('name the file and carry the server key in #p=, which is enough to fetch it', () => {
    const url = fileUrl(server, 'Abc_-123');
    expect(url).toBe(`http://127.0.0.1:8400/file/Abc_-123#p=${key}`);
    expect(locateFile(url)).toEqual({ server, id: 'Abc_-123' });
  });

  it('use the configured key for a URL on the configured server without #p=, and legacy /files/', () => {
    expect(locateFile('http://127.0.0.1:8400/files/42', server)).toEqual({ server, id: '42' });
    expect(() => locateFile('http://127.0.0.1:8400/file/42')).toThrow(/whose key is unknown/);
    expect(() => locateFile('http://other:8400/file/42', server)).toThrow(/on http:\/\/other:8400, whose key is unknown/);
  });

  it.each([
    ['http://h/file/a/b', /does not name a file/],
    ['http://h/avatar/1', /does not name a file/],
    [`http://h/file/x#d&p=${key}`, /deterministic encryption/],
    ['::', /not a URL/],
  ])('refuse %s', (url, message) => {
    expect(() => locateFile(url, server)).toThrow(message);
  });

  it('refuse an id the server could not have given', () => {
    expect(() => fileUrl(server, '../admin')).toThrow(/unusable file id/);
  });
});
