// The server's long-term X25519 key pair: clients encrypt onion requests to its public half
// (handed to them out of band with the URL). Taken from configuration (a Kubernetes Secret) or
// generated once into <data dir>/key_x25519 (hex, mode 0600) and reused on every start.
import type { Provider } from '@nestjs/common';
import * as path from 'path';
import { loadOrCreateSeedFile, ready, seedFromConfig, sodium, type X25519KeyPair } from '@starling/crypto';
import { FILE_SERVER_CONFIG, type FileServerConfig } from '../config';

export const SERVER_KEY_FILE = 'key_x25519';

/** The injection token of the server's X25519 key pair. */
export const SERVER_KEY = Symbol('ServerKey');

export function loadServerKey(dataDir: string, secretKeyHex?: string): X25519KeyPair {
  const secretKey =
    secretKeyHex !== undefined
      ? seedFromConfig(secretKeyHex, 'FILE_SERVER_X25519_KEY')
      : loadOrCreateSeedFile(path.join(dataDir, SERVER_KEY_FILE));
  return { secretKey, publicKey: sodium().crypto_scalarmult_base(secretKey) };
}

export const serverKeyProvider: Provider = {
  provide: SERVER_KEY,
  inject: [FILE_SERVER_CONFIG],
  useFactory: async (config: FileServerConfig): Promise<X25519KeyPair> => {
    await ready();
    return loadServerKey(config.dataDir, config.x25519SecretKeyHex);
  },
};
