// Subaccount tokens (storage-onion.md 1.3): an account owner delegates access by signing a 36-byte
// token [netid, flags, 0, 0, delegate Ed25519 key(32)]; the delegate then signs requests itself.
import { requireBytes } from './encoding';
import { verifyEd25519 } from './signing';

export const SUBACCOUNT_TOKEN_BYTES = 36;
export const SubaccountFlag = { read: 0x01, write: 0x02, delete: 0x04, anyPrefix: 0x08 } as const;

/** Why a token does not grant access. */
export type SubaccountRefusal = 'network' | 'permission' | 'token_signature';

/**
 * Checks a token for an account in the storage server's order: network prefix (unless AnyPrefix),
 * the required flags, then the owner's signature of the token. null when the token is good; the
 * request itself must then be verified with subaccountKey(token). Revocation is the caller's.
 */
export function subaccountRefusal(
  token: Uint8Array,
  tokenSignature: Uint8Array,
  accountPrefix: number,
  ownerEd25519: Uint8Array,
  requiredFlags: number,
): SubaccountRefusal | null {
  requireBytes(token, SUBACCOUNT_TOKEN_BYTES, 'subaccount token');
  const flags = token[1];
  if (token[0] !== accountPrefix && !(flags & SubaccountFlag.anyPrefix)) return 'network';
  if ((flags & requiredFlags) !== requiredFlags) return 'permission';
  if (!verifyEd25519(tokenSignature, token, ownerEd25519)) return 'token_signature';
  return null;
}

/** The delegate's Ed25519 key inside a token. */
export function subaccountKey(token: Uint8Array): Uint8Array {
  return requireBytes(token, SUBACCOUNT_TOKEN_BYTES, 'subaccount token').subarray(4);
}
