// One monitor subscription checked as upstream's storage server checks `monitor.messages`
// (storage-onion.md 1.10): the keys in bt order, then the signature timestamp window, the account
// derived from P=, the subaccount token, and the signature over
//   "MONITOR" || hex(account) || t || "1"|"0" || namespaces joined by ",".
// Errors carry upstream's codes and texts. Only the swarm check (code 6, defined upstream but not
// used by 2.8) is ours: a node refuses to watch an account its swarm does not hold.
import { MonitorErrorCode } from '@starling/proto';
import {
  ed25519PublicKeyToX25519,
  monitorSigningText,
  SUBACCOUNT_TOKEN_BYTES,
  SubaccountFlag,
  subaccountKey,
  subaccountRefusal,
  verifyEd25519,
} from '@starling/crypto';

/** A subscription as it arrives (gRPC MonitorSubscription; empty bytes = absent). */
export interface MonitorSubscriptionInput {
  /** [p] 33-byte account id, for accounts that are not 05 Session IDs. */
  pubkey?: Uint8Array;
  /** [P] Ed25519 key of a 05 Session ID. */
  sessionEd25519?: Uint8Array;
  /** [T] and [S]. */
  subaccountToken?: Uint8Array;
  subaccountSignature?: Uint8Array;
  /** [n] */
  namespaces: readonly number[];
  /** [d] */
  wantData: boolean;
  /** [t] unix seconds; 0 or undefined = absent. */
  signatureTimestamp?: number;
  /** [s] */
  signature?: Uint8Array;
}

export interface AcceptedSubscription {
  /** 33-byte account id. */
  account: Buffer;
  /** Ascending. */
  namespaces: number[];
  wantData: boolean;
}

export type MonitorCheck = { ok: true; subscription: AcceptedSubscription } | { ok: false; errcode: number; error: string };

/** Upstream accepts a t within the last 14 days and at most a day ahead. */
const TOO_OLD_MS = 14 * 86_400_000;
const TOO_NEW_MS = 86_400_000;

const present = (b: Uint8Array | undefined): b is Uint8Array => b !== undefined && b.length > 0;
const refuse = (errcode: number, error: string): MonitorCheck => ({ ok: false, errcode, error });
const badArgs = (why: string) => refuse(MonitorErrorCode.BAD_ARGS, `Invalid arguments: ${why}`);

/**
 * Checks one subscription at `nowMs`. `isOurs`, when given, says whether this node's swarm holds
 * the account; it is asked only after the signature verified, so no one learns where an account
 * lives without being able to sign for it.
 */
export function checkMonitorSubscription(input: MonitorSubscriptionInput, nowMs: number, isOurs?: (account: Buffer) => boolean): MonitorCheck {
  const { sessionEd25519: sessionEd, pubkey, signature } = input;
  if (present(sessionEd) && sessionEd.length !== 32) {
    return refuse(MonitorErrorCode.BAD_PUBKEY, 'Provided P= Session Ed25519 pubkey must be 32 bytes');
  }
  const subaccount = present(input.subaccountSignature);
  if (subaccount) {
    if (input.subaccountSignature!.length !== 64) return refuse(MonitorErrorCode.BAD_PUBKEY, 'Provided S subaccount signature must be 64 bytes');
    if (!present(input.subaccountToken)) return badArgs('missing required T= subaccount token');
    if (input.subaccountToken.length !== SUBACCOUNT_TOKEN_BYTES) {
      return refuse(MonitorErrorCode.BAD_PUBKEY, `Provided T subaccount token must be ${SUBACCOUNT_TOKEN_BYTES} bytes`);
    }
  }
  const namespaces = input.namespaces;
  if (namespaces.length === 0) return badArgs('missing required n= namespace list');
  if (!namespaces.every((n) => Number.isInteger(n) && n >= -32768 && n <= 32767)) return badArgs('n= namespaces must be int16 values');
  for (let i = 1; i < namespaces.length; i++) {
    if (namespaces[i]! <= namespaces[i - 1]!) return refuse(MonitorErrorCode.BAD_NS, 'Invalid n= namespace list: namespaces must be ascending');
  }
  if (present(pubkey)) {
    if (present(sessionEd)) return badArgs('Cannot provide both p= and P= pubkey values');
    if (pubkey.length !== 33) return refuse(MonitorErrorCode.BAD_PUBKEY, 'Provided p= pubkey must be 33 bytes');
  } else if (!present(sessionEd)) {
    return badArgs('Either p= or P= must be given');
  }
  if (!present(signature)) return badArgs('missing required s= signature');
  if (signature.length !== 64) return refuse(MonitorErrorCode.BAD_SIG, 'Provided s= signature must be 64 bytes');
  const t = input.signatureTimestamp;
  if (t === undefined || t === 0) return badArgs('required signature timestamp is missing');
  if (!Number.isSafeInteger(t)) return badArgs('t= signature timestamp must be an integer');

  const tooOld = t * 1000 < nowMs - TOO_OLD_MS;
  if (tooOld || t * 1000 > nowMs + TOO_NEW_MS) {
    return refuse(MonitorErrorCode.BAD_TS, `Invalid t= signature timestamp: timestamp is ${tooOld ? 'too old' : 'in the future'}`);
  }

  let account: Buffer;
  let ownerKey: Uint8Array;
  if (present(sessionEd)) {
    try {
      account = Buffer.concat([Buffer.of(0x05), ed25519PublicKeyToX25519(sessionEd)]);
    } catch {
      return refuse(MonitorErrorCode.BAD_PUBKEY, 'Invalid P= ed25519 public key');
    }
    ownerKey = sessionEd;
  } else {
    account = Buffer.from(pubkey!);
    ownerKey = account.subarray(1);
  }

  let verifyKey = ownerKey;
  if (subaccount) {
    const refusal = subaccountRefusal(input.subaccountToken!, input.subaccountSignature!, account[0]!, ownerKey, SubaccountFlag.read);
    if (refusal) return refuse(MonitorErrorCode.BAD_SIG, `Subaccount verification failed: ${SUBACCOUNT_REFUSALS[refusal]}`);
    verifyKey = subaccountKey(input.subaccountToken!);
  }
  const signed = Buffer.from(monitorSigningText(account, t, input.wantData, namespaces), 'utf8');
  if (!verifyEd25519(signature, signed, verifyKey)) return refuse(MonitorErrorCode.BAD_SIG, 'Signature verification failed');
  if (isOurs && !isOurs(account)) {
    return refuse(MonitorErrorCode.WRONG_SWARM, "Invalid account: this account is not stored by this node's swarm");
  }
  return { ok: true, subscription: { account, namespaces: [...namespaces], wantData: input.wantData } };
}

/** Upstream's texts for subaccount failures. */
const SUBACCOUNT_REFUSALS = {
  network: 'subaccount network prefix mismatch',
  permission: 'subaccount is missing the required permissions',
  token_signature: 'subaccount token signature verification failed',
} as const;
