import { ready, signEd25519, verifyEd25519 } from '@starling/crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { IDENTITY_FILE, loadOrCreateIdentity, NodeIdentity } from './node-identity';

beforeAll(() => ready());

it('signs exactly as libsodium does (deterministic Ed25519)', () => {
  const seed = Uint8Array.from({ length: 32 }, (_, i) => i);
  const id = new NodeIdentity(seed);
  expect(id.ed25519Hex).toBe('03a107bff3ce10be1d70dd18e74bc09967e4d6309ba50d5f1ddc8664125531b8');
  const msg = Buffer.from('retrieve1700000000000');
  expect(Buffer.from(id.sign(msg))).toEqual(Buffer.from(signEd25519(seed, msg)));
  expect(verifyEd25519(id.sign(msg), msg, Buffer.from(id.ed25519Hex, 'hex'))).toBe(true);
});

it('is generated once into the data folder (mode 0600) and kept across restarts', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'swarm-store-id-'));
  try {
    const first = await loadOrCreateIdentity(dir);
    const again = await loadOrCreateIdentity(dir);
    expect(again.ed25519Hex).toBe(first.ed25519Hex);
    expect(again.x25519Hex).toBe(first.x25519Hex);
    expect(statSync(path.join(dir, IDENTITY_FILE)).mode & 0o777).toBe(0o600);
    expect(readFileSync(path.join(dir, IDENTITY_FILE), 'utf8').trim()).toMatch(/^[0-9a-f]{64}$/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
