// The server's identity. An Ed25519 key, as Session's own file server has: attachment links carry
// its public half as `#p=` and clients derive the X25519 key their onion requests are encrypted
// to. It comes from configuration (a Kubernetes Secret) or is generated once into
// <data dir>/key_ed25519 (hex, mode 0600). A server set up before it had one keeps serving with
// its old X25519 key (FILE_SERVER_X25519_KEY, or <data dir>/key_x25519), so that the links it
// handed out keep working; it then has no Ed25519 identity.
import type { Provider } from '@nestjs/common';
import { existsSync } from 'fs';
import * as path from 'path';
import {
  ed25519KeyPairFromSeed,
  ed25519SecretKeyToX25519,
  loadOrCreateSeedFile,
  ready,
  seedFromConfig,
  sodium,
  type X25519KeyPair,
} from '@starling/crypto';
import { FILE_SERVER_CONFIG, type FileServerConfig } from '../config';

export const SERVER_KEY_FILE = 'key_ed25519';
/** Where servers made before the Ed25519 identity kept their X25519 key. */
export const LEGACY_SERVER_KEY_FILE = 'key_x25519';

export interface ServerIdentity {
  /** What onion requests are encrypted to. */
  x25519: X25519KeyPair;
  /** The public key attachment links carry; absent for a server still on its old X25519 key. */
  ed25519PublicKey?: Uint8Array;
}

/** The injection token of the ServerIdentity. */
export const SERVER_IDENTITY = Symbol('ServerIdentity');

export function loadServerIdentity(dataDir: string, keys: { ed25519SeedHex?: string; x25519SecretKeyHex?: string } = {}): ServerIdentity {
  if (keys.ed25519SeedHex === undefined) {
    const legacyFile = path.join(dataDir, LEGACY_SERVER_KEY_FILE);
    const legacy = keys.x25519SecretKeyHex !== undefined ? seedFromConfig(keys.x25519SecretKeyHex, 'FILE_SERVER_X25519_KEY') : undefined;
    if (legacy || (existsSync(legacyFile) && !existsSync(path.join(dataDir, SERVER_KEY_FILE)))) {
      const secretKey = legacy ?? loadOrCreateSeedFile(legacyFile);
      return { x25519: { secretKey, publicKey: sodium().crypto_scalarmult_base(secretKey) } };
    }
  }
  const seed = keys.ed25519SeedHex !== undefined ? seedFromConfig(keys.ed25519SeedHex, 'FILE_SERVER_KEY') : loadOrCreateSeedFile(path.join(dataDir, SERVER_KEY_FILE));
  const ed25519 = ed25519KeyPairFromSeed(seed);
  const secretKey = ed25519SecretKeyToX25519(ed25519.secretKey);
  return { x25519: { secretKey, publicKey: sodium().crypto_scalarmult_base(secretKey) }, ed25519PublicKey: ed25519.publicKey };
}

export const serverIdentityProvider: Provider = {
  provide: SERVER_IDENTITY,
  inject: [FILE_SERVER_CONFIG],
  useFactory: async (config: FileServerConfig): Promise<ServerIdentity> => {
    await ready();
    return loadServerIdentity(config.dataDir, { ed25519SeedHex: config.ed25519SeedHex, x25519SecretKeyHex: config.x25519SecretKeyHex });
  },
};
