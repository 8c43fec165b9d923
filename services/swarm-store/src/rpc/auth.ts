// Client authentication (storage-onion 1.3): an Ed25519 signature by the account key (for 05
// accounts the `pubkey_ed25519` whose X25519 form is the account key), or by a subaccount whose
// token the account signed. Checked after the swarm check and the timestamp window.
import { bytesEqual, ed25519PublicKeyToX25519, verifyEd25519 } from '@starling/crypto';
import { isUnrevocable } from './namespaces';
import type { Account, Params } from './params';
import { invalidRequest, RpcError, CLOCK_ERROR } from './rpc-error';

export const SubaccountFlag = { read: 0x01, write: 0x02, delete: 0x04, anyPrefix: 0x08 } as const;

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

/** 406 unless |timestamp - now| is within the tolerance. */
export function checkTimestampWindow(timestampMs: number, nowMs: number, toleranceMs: number): void {
  if (Math.abs(timestampMs - nowMs) > toleranceMs) throw new RpcError(406, CLOCK_ERROR);
}

/** Looks up whether the account revoked a subaccount token (database-backed). */
export type RevocationCheck = (account: Account, token: Buffer) => Promise<boolean>;

export interface VerifyOptions {
  method: string;
  /** Subaccount flags the operation needs. */
  flags: number;
  /** Namespace the operation touches (unrevocable namespaces skip the revocation list). */
  namespace?: number | 'all';
}

/**
 * Verifies `auth.signature` over `signed` for the account. The caller has already answered a
 * missing signature with its own 401 message. Throws 401 on any failure.
 */
export async function verifyAccountSignature(account: Account, auth: AuthFields, signed: string, opts: VerifyOptions, isRevoked: RevocationCheck): Promise<void> {
  const message = Buffer.from(signed, 'utf8');
  const failed = () => new RpcError(401, `${opts.method} signature verification failed`);
  if (!auth.signature) throw failed();
  const accountKey = accountVerifyKey(account, auth);
  if (!auth.subaccount) {
    if (!verifyEd25519(auth.signature, message, accountKey)) throw failed();
    return;
  }
  const token = auth.subaccount;
  if (!(typeof opts.namespace === 'number' && isUnrevocable(opts.namespace)) && (await isRevoked(account, token))) {
    throw new RpcError(401, `${opts.method}: subaccount token has been revoked`);
  }
  const flags = token[1]!;
  if (token[0] !== account.netid && !(flags & SubaccountFlag.anyPrefix)) {
    throw new RpcError(401, `${opts.method}: subaccount token is for a different account type`);
  }
  if ((flags & opts.flags) !== opts.flags) throw new RpcError(401, `${opts.method}: subaccount token lacks the required permission`);
  if (!verifyEd25519(auth.subaccountSig!, token, accountKey)) throw new RpcError(401, `${opts.method}: subaccount signature verification failed`);
  if (!verifyEd25519(auth.signature, message, token.subarray(4))) throw failed();
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
  /** The exact text the client signed. */
  signed: string;
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
