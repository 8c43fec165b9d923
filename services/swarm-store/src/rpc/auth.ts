// Client authentication (storage-onion 1.3): an Ed25519 signature by the account key (for 05
// accounts the `pubkey_ed25519` whose X25519 form is the account key; for 03 groups and other
// prefixes the key bytes of the id), or by a subaccount whose token the account signed. Checked
// after the swarm check and the timestamp window.
import { bytesEqual, ed25519PublicKeyToX25519, subaccountKey, subaccountRefusal, verifyEd25519, type SubaccountRefusal } from '@starling/crypto';
import type { Account, Params } from './params';
import { invalidRequest, RpcError, CLOCK_ERROR } from './rpc-error';

export interface AuthFields {
  signature?: Buffer;
  pubkeyEd25519?: Buffer;
  subaccount?: Buffer;
  subaccountSig?: Buffer;
}

/** Reads the auth params; `subaccount_sig` is required whenever `subaccount` is present. */
export function readAuth(params: Params, account: Account): AuthFields {
  const auth: AuthFields = {
    signature: params.signature('signature'),
    pubkeyEd25519: params.pubkeyEd25519(account),
    subaccount: params.subaccount(),
    subaccountSig: params.signature('subaccount_sig'),
  };
  if (auth.subaccount && !auth.subaccountSig) throw invalidRequest('"subaccount_sig" is required with "subaccount"');
  return auth;
}

/** Reads the auth params of a method only the account key may sign: subaccount fields are ignored. */
export function readOwnerAuth(params: Params, account: Account): AuthFields {
  return { signature: params.signature('signature'), pubkeyEd25519: params.pubkeyEd25519(account) };
}

/** 406 unless |timestamp - now| is within the tolerance. */
export function checkTimestampWindow(timestampMs: number, nowMs: number, toleranceMs: number): void {
  if (Math.abs(timestampMs - nowMs) > toleranceMs) throw new RpcError(406, CLOCK_ERROR);
}

/** Looks up whether the account revoked a subaccount token (database-backed). */
export type RevocationCheck = (account: Account, token: Buffer) => Promise<boolean>;

export interface VerifyOptions {
  method: string;
  /** Subaccount flags the operation needs (SubaccountFlag of @starling/crypto). */
  flags: number;
  /**
   * A revoked token may still be used: upstream allows it for retrieve from an unrevocable
   * namespace only (a removed group member reads why it was removed), no other operation.
   */
  revokedMayUse?: boolean;
  /**
   * Only the account key itself may sign (revoke, unrevoke, revoked_subaccounts): subaccount
   * fields are ignored, as upstream does not read them for these methods.
   */
  ownerOnly?: boolean;
}

const REFUSALS: Record<SubaccountRefusal, string> = {
  network: 'subaccount token is for a different account type',
  permission: 'subaccount token lacks the required permission',
  token_signature: 'subaccount signature verification failed',
};

/**
 * Verifies `auth.signature` over `signed` (text, or bytes where the signed message holds raw
 * tokens) for the account. The caller has already answered a missing signature with its own
 * message. Throws 401 on any failure; the checks run in upstream's order.
 */
export async function verifyAccountSignature(
  account: Account,
  auth: AuthFields,
  signed: string | Uint8Array,
  opts: VerifyOptions,
  isRevoked: RevocationCheck,
): Promise<void> {
  const message = typeof signed === 'string' ? Buffer.from(signed, 'utf8') : signed;
  const failed = (why = '') => new RpcError(401, `${opts.method} signature verification failed${why}`);
  if (!auth.signature) throw failed();
  const accountKey = accountVerifyKey(account, auth);
  if (!auth.subaccount || opts.ownerOnly) {
    if (verifyEd25519(auth.signature, message, accountKey)) return;
    throw failed(opts.ownerOnly ? ' (the account key must sign it; subaccounts cannot)' : '');
  }
  const token = auth.subaccount;
  if (!opts.revokedMayUse && (await isRevoked(account, token))) throw new RpcError(401, `${opts.method}: subaccount token has been revoked`);
  const refusal = subaccountRefusal(token, auth.subaccountSig!, account.netid, accountKey, opts.flags);
  if (refusal) throw new RpcError(401, `${opts.method}: ${REFUSALS[refusal]}`);
  if (!verifyEd25519(auth.signature, message, subaccountKey(token))) throw failed();
}

/**
 * The Ed25519 key that signs for the account: for 05 accounts `pubkey_ed25519` after checking
 * that it converts to the account's X25519 key; for other netids the key bytes themselves.
 */
function accountVerifyKey(account: Account, auth: AuthFields): Uint8Array {
  if (account.netid !== 0x05 || !auth.pubkeyEd25519) return account.key;
  let x25519: Uint8Array;
  try {
    x25519 = ed25519PublicKeyToX25519(auth.pubkeyEd25519);
  } catch {
    throw new RpcError(401, 'pubkey_ed25519 is not a valid Ed25519 key');
  }
  if (!bytesEqual(x25519, account.key)) throw new RpcError(401, 'pubkey_ed25519 does not match the account pubkey');
  return auth.pubkeyEd25519;
}

export interface AuthenticateOptions extends VerifyOptions {
  /** The exact message the client signed. */
  signed: string | Uint8Array;
  /** Timestamp whose window is checked (406) before the signature, if the method has one. */
  timestampMs?: number;
  toleranceMs?: number;
  nowMs: number;
  /** 401 text when no signature was sent. */
  missing?: string;
}

/** The usual sequence: signature present (401), timestamp window (406), signature valid (401). */
export async function authenticate(account: Account, auth: AuthFields, opts: AuthenticateOptions, isRevoked: RevocationCheck): Promise<void> {
  if (!auth.signature) throw new RpcError(401, opts.missing ?? `${opts.method}: request signature required`);
  if (opts.timestampMs !== undefined) checkTimestampWindow(opts.timestampMs, opts.nowMs, opts.toleranceMs ?? 60_000);
  await verifyAccountSignature(account, auth, opts.signed, opts, isRevoked);
}
