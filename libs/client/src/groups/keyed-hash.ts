// Keyed BLAKE2b as libsession uses it for groups: some of its keys ("SubaccountSeed",
// "SubaccountSig") are shorter than the 16 bytes @starling/crypto's blake2b() insists on, which
// libsodium itself accepts (any key of 1..64 bytes).
import { sodium } from '@starling/crypto';

export function keyedHash(outputLength: number, key: string | Uint8Array, ...parts: Uint8Array[]): Uint8Array {
  const keyBytes = typeof key === 'string' ? new Uint8Array(Buffer.from(key, 'utf8')) : key;
  if (keyBytes.length < 1 || keyBytes.length > 64) throw new RangeError('BLAKE2b key must be 1..64 bytes');
  const s = sodium();
  const state = s.crypto_generichash_init(keyBytes, outputLength);
  for (const part of parts) s.crypto_generichash_update(state, part);
  return s.crypto_generichash_final(state, outputLength);
}
