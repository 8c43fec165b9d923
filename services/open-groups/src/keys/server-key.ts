// The server's X25519 key pair: one key for onion decryption, the join URL's public_key and the
// SERVER_PUBKEY of every request signature. Generated once into the data folder, or given as hex
// (a Kubernetes Secret) so that every replica shares it.
import { loadOrCreateSeedFile, seedFromConfig, sodium, toHex, type X25519KeyPair } from '@starling/crypto';
import { join } from 'path';

export const KEY_FILE_NAME = 'key_x25519';

export function serverKeyPair(options: { secretHex?: string; dataDir?: string }): X25519KeyPair {
  const secretKey = options.secretHex
    ? seedFromConfig(options.secretHex, 'OPEN_GROUPS_SERVER_KEY')
    : options.dataDir
      ? loadOrCreateSeedFile(join(options.dataDir, KEY_FILE_NAME))
      : sodium().randombytes_buf(32); // no data folder: a throw-away key (tests, one-off runs)
  return { secretKey, publicKey: sodium().crypto_scalarmult_base(secretKey) };
}

/** `http://host:port/<room>?public_key=<hex>`, the URL a Session client joins with. */
export function joinUrl(baseUrl: string, token: string, publicKey: Uint8Array): string {
  return `${baseUrl.replace(/\/+$/, '')}/${token}?public_key=${toHex(publicKey)}`;
}
