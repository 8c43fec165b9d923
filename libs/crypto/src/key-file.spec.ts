import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { loadOrCreateSeedFile, seedFromConfig } from './key-file';

describe('key files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'starling-key-'));

  it('creates a seed once, private to its owner, and returns the same one afterwards', () => {
    const file = join(dir, 'nested', 'node.key');
    const first = loadOrCreateSeedFile(file);
    expect(first).toHaveLength(32);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(loadOrCreateSeedFile(file)).toEqual(first);
  });

  it('refuses a damaged key file instead of replacing the identity', () => {
    const file = join(dir, 'damaged.key');
    writeFileSync(file, 'not hex at all');
    expect(() => loadOrCreateSeedFile(file)).toThrow(/refusing to replace it/);
    expect(readFileSync(file, 'utf8')).toBe('not hex at all');
  });


  it('takes a seed from configuration and names the setting when it is wrong', () => {
    expect(seedFromConfig('ab'.repeat(32), 'X_KEY')).toHaveLength(32);
    expect(() => seedFromConfig('abc', 'X_KEY')).toThrow(/X_KEY must be 64 hex characters/);
  });
});
