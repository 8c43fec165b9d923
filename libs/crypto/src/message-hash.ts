// The storage message hash (storage-onion.md 1.5): the id of a stored message, also what
// retrieve's last_hash and delete/expire requests name. Timestamp and expiry are not inputs.
import { concatBytes, toBase64, utf8 } from './encoding';
import { CryptoError } from './errors';
import { blake2b } from './signing';

/**
 * base64(BLAKE2b-256(accountId(33) || namespace || data)) without padding (43 characters).
 * `accountId` is the prefixed 33-byte pubkey (netid byte + 32 key bytes). Namespace 0 contributes
 * nothing; any other namespace contributes its ASCII decimal form (e.g. "-10").
 */
export function messageHash(accountId: Uint8Array, namespace: number, data: Uint8Array): string {
  if (!(accountId instanceof Uint8Array) || accountId.length !== 33) {
    throw new CryptoError('BAD_LENGTH', 'message hash: account id must be 33 bytes (prefix + pubkey)');
  }
  if (!Number.isInteger(namespace) || namespace < -32768 || namespace > 32767) {
    throw new CryptoError('MALFORMED', `message hash: namespace must be an int16, got ${namespace}`);
  }
  if (!(data instanceof Uint8Array)) throw new CryptoError('MALFORMED', 'message hash: data must be bytes');
  const ns = namespace === 0 ? new Uint8Array(0) : utf8(String(namespace));
  return toBase64(blake2b(concatBytes(accountId, ns, data), 32), false);
}
