// The server's long-term X25519 key pair: clients encrypt onion requests to its public half
// (handed to them out of band with the URL). Taken from configuration (a Kubernetes Secret) or
// generated once into <data dir>/key_x25519 (hex, mode 0600) and reused on every start.
import * as path from 'path';
import { loadOrCreateSeedFile, seedFromConfig, sodium, type X25519KeyPair } from '@starling/crypto';

export const SERVER_KEY_FILE = 'key_x25519';

export function loadServerKey(dataDir: string, secretKeyHex?: string): X25519KeyPair {
  const secretKey =
    secretKeyHex !== undefined
      ? seedFromConfig(secretKeyHex, 'FILE_SERVER_X25519_KEY')
      : loadOrCreateSeedFile(path.join(dataDir, SERVER_KEY_FILE));
  return { secretKey, publicKey: sodium().crypto_scalarmult_base(secretKey) };
}
