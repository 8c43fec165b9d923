// The onion key: generated once into the data folder (mode 0600) and kept across restarts, or
// taken from configuration; its public half is what the server reports.
import { statSync, readFileSync } from 'fs';
import * as path from 'path';
import { toHex, sodium, ready, fromHex } from '@starling/crypto';
import { serverBackends, startServer } from './support/harness';
import { loadServerKey, SERVER_KEY_FILE } from '../src/onion/server-key';
import { mkdtempSync } from 'fs';
import { tmpdir } from 'os';

const backend = serverBackends()[0]!;

describe('server X25519 key', () => {
  beforeAll(() => ready());

  it('is generated once with mode 0600 and reused on the next start', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'starling-key-'));
    const first = loadServerKey(dir);
    const file = path.join(dir, SERVER_KEY_FILE);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const second = loadServerKey(dir);
    expect(toHex(second.secretKey)).toBe(toHex(first.secretKey));
    expect(toHex(first.publicKey)).toBe(toHex(sodium().crypto_scalarmult_base(first.secretKey)));
    expect(readFileSync(file, 'utf8').trim()).toBe(toHex(first.secretKey));
  });

  it('comes from configuration when given, and a bad value is refused', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'starling-key-'));
    const secret = '11'.repeat(32);
    const pair = loadServerKey(dir, secret);
    expect(toHex(pair.publicKey)).toBe(toHex(sodium().crypto_scalarmult_base(fromHex(secret))));
    expect(() => loadServerKey(dir, 'zz')).toThrow(/64 hex/);
  });

  it('a restarted server keeps its public key', async () => {
    const a = await startServer(backend);
    const pub = a.server.publicKeyHex;
    await a.server.close();
    const again = loadServerKey(a.dataDir);
    expect(toHex(again.publicKey)).toBe(pub);
    expect(pub).toMatch(/^[0-9a-f]{64}$/);
    await a.stop();
  });
});
