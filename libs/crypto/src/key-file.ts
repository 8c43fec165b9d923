// A service's long-lived secret (a node's identity, a server's onion key) is generated once and
// kept in its data folder, so a restart — or a Kubernetes pod moving to a new host with the same
// volume — keeps the same identity.
import { randomBytes } from 'crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'fs';
import { dirname } from 'path';
import { fromHex, toHex } from './encoding';
import { CryptoError } from './errors';

/**
 * Returns the 32-byte seed stored as hex in `file`, creating it (mode 0600, written to a temporary
 * file then renamed, so a crash never leaves half a key) when it does not exist. A damaged file
 * is an error: silently replacing a key would change the node's identity.
 */
export function loadOrCreateSeedFile(file: string): Uint8Array {
  let text: string | undefined;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  if (text !== undefined) {
    try {
      return fromHex(text.trim(), 32);
    } catch {
      throw new CryptoError('BAD_KEY', `key file ${file} does not hold a 32-byte hex seed; refusing to replace it`);
    }
  }
  const seed = new Uint8Array(randomBytes(32));
  mkdirSync(dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, toHex(seed) + '\n', { mode: 0o600 });
  renameSync(temporary, file);
  return seed;
}

/** A seed given as configuration (e.g. from a Kubernetes Secret) instead of a file. */
export function seedFromConfig(hex: string, name: string): Uint8Array {
  try {
    return fromHex(hex.trim(), 32);
  } catch {
    throw new CryptoError('BAD_KEY', `${name} must be 64 hex characters (a 32-byte seed)`);
  }
}
