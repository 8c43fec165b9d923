// The registry's Ed25519 key, which signs every network map. The first replica to start creates
// it; all replicas read the same row, so a map signed by any leader verifies with one key.
import { randomBytes } from 'crypto';
import { ed25519KeyPairFromSeed, signEd25519, toHex } from '@starling/crypto';
import type { Queryable } from '@starling/platform';

/** Injection token of the replica's RegistryIdentity. */
export const REGISTRY_IDENTITY = Symbol('RegistryIdentity');

export interface RegistryIdentity {
  publicKeyHex: string;
  sign(message: Uint8Array): Uint8Array;
}

export async function loadRegistryIdentity(db: Queryable): Promise<RegistryIdentity> {
  await db.query(`INSERT INTO registry_identity (id, ed25519_seed) VALUES (1, $1) ON CONFLICT (id) DO NOTHING`, [randomBytes(32)]);
  const res = await db.query<{ ed25519_seed: Buffer }>(`SELECT ed25519_seed FROM registry_identity WHERE id = 1`);
  const seed = new Uint8Array(res.rows[0]!.ed25519_seed);
  const { publicKey } = ed25519KeyPairFromSeed(seed);
  return { publicKeyHex: toHex(publicKey), sign: (message) => signEd25519(seed, message) };
}
