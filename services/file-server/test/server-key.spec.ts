// The server's identity: an Ed25519 key generated once into the data folder (mode 0600) and kept
// across restarts, or taken from configuration; the X25519 onion key is derived from it. A server
// from before keeps its old X25519 key (configured, or found in its data folder).
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { ed25519KeyPairFromSeed, ed25519PublicKeyToX25519, fromHex, ready, sodium, toHex } from '@starling/crypto';
import { LEGACY_SERVER_KEY_FILE, loadServerIdentity, SERVER_KEY_FILE } from '../src/onion/server-key';
import { serverBackends, startServer } from './support/harness';

const backend = serverBackends()[0]!;
const tempDir = () => mkdtempSync(path.join(tmpdir(), 'starling-key-'));

describe('the file server identity', () => {
  beforeAll(() => ready());

  it('is an Ed25519 key generated once with mode 0600, reused on the next start, with the X25519 key derived from it', () => {
    const dir = tempDir();
    const first = loadServerIdentity(dir);
    const file = path.join(dir, SERVER_KEY_FILE);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const second = loadServerIdentity(dir);
    expect(toHex(second.ed25519PublicKey!)).toBe(toHex(first.ed25519PublicKey!));
    const seed = fromHex(readFileSync(file, 'utf8').trim(), 32);
    expect(toHex(first.ed25519PublicKey!)).toBe(toHex(ed25519KeyPairFromSeed(seed).publicKey));
    // What Session apps do with the `#p=` key of a link: derive the onion key from it.
    expect(toHex(first.x25519.publicKey)).toBe(toHex(ed25519PublicKeyToX25519(first.ed25519PublicKey!)));
    expect(toHex(first.x25519.publicKey)).toBe(toHex(sodium().crypto_scalarmult_base(first.x25519.secretKey)));
  });

  it('comes from configuration when given, and a bad value is refused', () => {
    const pair = loadServerIdentity(tempDir(), { ed25519SeedHex: '11'.repeat(32) });
    expect(toHex(pair.ed25519PublicKey!)).toBe(toHex(ed25519KeyPairFromSeed(fromHex('11'.repeat(32), 32)).publicKey));
    expect(() => loadServerIdentity(tempDir(), { ed25519SeedHex: 'zz' })).toThrow(/64 hex/);
  });

  it('keeps an old X25519 key, configured or in the data folder, so its links keep working', () => {
    const configured = loadServerIdentity(tempDir(), { x25519SecretKeyHex: '22'.repeat(32) });
    expect(configured.ed25519PublicKey).toBeUndefined();
    expect(toHex(configured.x25519.publicKey)).toBe(toHex(sodium().crypto_scalarmult_base(fromHex('22'.repeat(32), 32))));
    const dir = tempDir();
    writeFileSync(path.join(dir, LEGACY_SERVER_KEY_FILE), '33'.repeat(32), { mode: 0o600 });
    const found = loadServerIdentity(dir);
    expect(found.ed25519PublicKey).toBeUndefined();
    expect(toHex(found.x25519.publicKey)).toBe(toHex(sodium().crypto_scalarmult_base(fromHex('33'.repeat(32), 32))));
  });

  it('a restarted server keeps its keys and reports both', async () => {
    const a = await startServer(backend);
    const { publicKeyHex, ed25519PublicKeyHex } = a.server;
    await a.server.close();
    const again = loadServerIdentity(a.dataDir);
    expect(toHex(again.x25519.publicKey)).toBe(publicKeyHex);
    expect(toHex(again.ed25519PublicKey!)).toBe(ed25519PublicKeyHex);
    await a.stop();
  });
});
