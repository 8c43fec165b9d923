// Group members reach the group's swarm with subaccount tokens (libsession groups::Keys,
// storage-onion 1.3, groups.md 4). An admin gives each member 100 bytes of "auth data":
//   03 ‖ flags ‖ 0 0 ‖ k (32) ‖ admin signature (64) over  03 ‖ flags ‖ 0 0 ‖ kT
// where T is the member's Ed25519 key with the sign bit cleared (all anyone can rebuild from the
// Session ID) and k = reduce(BLAKE2b-64(05 ‖ X ‖ 03 ‖ group pk, key = BLAKE2b-32(group seed,
// key "SessionGroupSubaccountMask"))). kT is a blinded key only that member can sign for (with the
// scalar k·t, t = ±s), so the swarm sees neither who the member is nor that two groups share one.
// The token the swarm checks (and an admin revokes) is 03 ‖ flags ‖ 0 0 ‖ kT.
import {
  concatBytes,
  CryptoError,
  ed25519KeyPairFromSecret,
  ed25519SecretKeyToX25519,
  parsePrefixedId,
  parseSessionId,
  sha512,
  signEd25519,
  sodium,
  SubaccountFlag,
  toBase64,
  verifyEd25519,
  x25519PublicKeyToEd25519,
  IdPrefix,
} from '@starling/crypto';
import { keyedHash } from './keyed-hash';

export const SUBACCOUNT_AUTH_BYTES = 100;
const GROUP_PREFIX = 0x03;

export interface SubaccountPermissions {
  /** Store messages and extend expiries (default true). */
  write?: boolean;
  /** Delete messages from the swarm (default false). */
  delete?: boolean;
}

/** Auth params for one storage request signed with a subaccount (base64, as JSON carries them). */
export interface SubaccountSignature {
  subaccount: string;
  subaccount_sig: string;
  signature: string;
}

function flagsOf(p: SubaccountPermissions): number {
  return SubaccountFlag.read | (p.write !== false ? SubaccountFlag.write : 0) | (p.delete ? SubaccountFlag.delete : 0);
}

/** k for a member: only the holder of the group seed can compute it. */
function blindFactor(groupSecret: Uint8Array, memberX25519: Uint8Array): Uint8Array {
  const { secretKey, publicKey } = ed25519KeyPairFromSecret(groupSecret);
  const mask = keyedHash(32, 'SessionGroupSubaccountMask', secretKey.subarray(0, 32));
  const h = keyedHash(64, mask, Uint8Array.of(0x05), memberX25519, Uint8Array.of(GROUP_PREFIX), publicKey);
  return sodium().crypto_core_ed25519_scalar_reduce(h);
}

function blindedMemberKey(k: Uint8Array, memberX25519: Uint8Array): Uint8Array {
  try {
    return sodium().crypto_scalarmult_ed25519_noclamp(k, x25519PublicKeyToEd25519(memberX25519));
  } catch (err) {
    if (err instanceof CryptoError) throw err;
    throw new CryptoError('BAD_KEY', 'the Session ID is not a valid curve point');
  }
}

/** The 100-byte auth data an admin gives a member (libsession swarm_make_subaccount). */
export function makeSubaccountAuth(groupSecret: Uint8Array, memberSessionId: string, permissions: SubaccountPermissions = {}): Uint8Array {
  const x = parseSessionId(memberSessionId);
  const k = blindFactor(groupSecret, x);
  const head = Uint8Array.of(GROUP_PREFIX, flagsOf(permissions), 0, 0);
  const signature = signEd25519(groupSecret, concatBytes(head, blindedMemberKey(k, x)));
  return concatBytes(head, k, signature);
}

/** The 36-byte token the swarm sees for a member (libsession swarm_subaccount_token): what an admin revokes. */
export function subaccountToken(groupSecret: Uint8Array, memberSessionId: string, permissions: SubaccountPermissions = {}): Uint8Array {
  const x = parseSessionId(memberSessionId);
  return concatBytes(Uint8Array.of(GROUP_PREFIX, flagsOf(permissions), 0, 0), blindedMemberKey(blindFactor(groupSecret, x), x));
}

/** |S| and whether S had its sign bit set. */
function ownPositiveKey(userEd25519Secret: Uint8Array): { t: Uint8Array; negative: boolean; secretKey: Uint8Array } {
  const { secretKey, publicKey } = ed25519KeyPairFromSecret(userEd25519Secret);
  const t = publicKey.slice();
  const negative = (t[31] & 0x80) !== 0;
  t[31] &= 0x7f;
  return { t, negative, secretKey };
}

/**
 * Checks auth data received in an invitation (libsession swarm_verify_subaccount): read flag,
 * the group prefix (or any-prefix), the flags asked for, and the admin's signature over the
 * token we would present.
 */
export function verifySubaccountAuth(groupId: string, userEd25519Secret: Uint8Array, auth: Uint8Array, required: SubaccountPermissions = { write: false }): boolean {
  if (auth.length !== SUBACCOUNT_AUTH_BYTES) return false;
  const groupKey = parsePrefixedId(groupId, [IdPrefix.group]).key;
  const flags = auth[1];
  if (auth[0] !== GROUP_PREFIX && !(flags & SubaccountFlag.anyPrefix)) return false;
  if (!(flags & SubaccountFlag.read)) return false;
  if (required.write && !(flags & SubaccountFlag.write)) return false;
  if (required.delete && !(flags & SubaccountFlag.delete)) return false;
  let kT: Uint8Array;
  try {
    kT = sodium().crypto_scalarmult_ed25519_noclamp(auth.subarray(4, 36), ownPositiveKey(userEd25519Secret).t);
  } catch {
    return false;
  }
  return verifyEd25519(auth.subarray(36), concatBytes(auth.subarray(0, 4), kT), groupKey);
}

/** The token, the admin's signature and our signature of `message` (libsession swarm_subaccount_sign), as raw bytes. */
export function signWithSubaccountRaw(userEd25519Secret: Uint8Array, auth: Uint8Array, message: Uint8Array): { token: Uint8Array; tokenSignature: Uint8Array; signature: Uint8Array } {
  if (auth.length !== SUBACCOUNT_AUTH_BYTES) throw new CryptoError('BAD_LENGTH', 'subaccount auth data must be 100 bytes');
  const s = sodium();
  const k = auth.subarray(4, 36);
  const { t, negative, secretKey } = ownPositiveKey(userEd25519Secret);
  const kT = s.crypto_scalarmult_ed25519_noclamp(k, t);
  const token = concatBytes(auth.subarray(0, 4), kT);
  // Our scalar for T: the X25519 secret (the clamped Ed25519 scalar), negated when S was negative.
  const x = ed25519SecretKeyToX25519(secretKey);
  const scalar = negative ? s.crypto_core_ed25519_scalar_negate(x) : x;
  const kt = s.crypto_core_ed25519_scalar_mul(k, scalar);
  // Ed25519 with scalar kt and public key kT; the nonce is derived from the seed, kT and the message.
  const seedHash = keyedHash(32, 'SubaccountSeed', secretKey.subarray(0, 32));
  const r = s.crypto_core_ed25519_scalar_reduce(keyedHash(64, 'SubaccountSig', seedHash, kT, message));
  const R = s.crypto_scalarmult_ed25519_base_noclamp(r);
  const hram = s.crypto_core_ed25519_scalar_reduce(sha512(concatBytes(R, kT, message)));
  const signature = concatBytes(R, s.crypto_core_ed25519_scalar_add(r, s.crypto_core_ed25519_scalar_mul(hram, kt)));
  return { token, tokenSignature: auth.slice(36), signature };
}

/** signWithSubaccountRaw as the JSON request params (base64). */
export function signWithSubaccount(userEd25519Secret: Uint8Array, auth: Uint8Array, message: Uint8Array): SubaccountSignature {
  const raw = signWithSubaccountRaw(userEd25519Secret, auth, message);
  return { subaccount: toBase64(raw.token), subaccount_sig: toBase64(raw.tokenSignature), signature: toBase64(raw.signature) };
}
