// One element of a /subscribe or /unsubscribe body, read and checked in upstream's order (hivemind
// sub_unsub_args, then the Subscription constructor): account, session_ed25519, subaccount,
// signature, the session_ed25519 -> account check, sig_ts, service, service_info; for /subscribe
// then enc_key, namespaces, data, the signature timestamp window and the signature itself.
import { ed25519PublicKeyToX25519, monitorSigningText, unsubscribeSigningText } from '@starling/crypto';
import { booleanField, bytesField, decodeBytes, integerField, requireField, stringField, type JsonObject } from './request-fields';
import { GENERIC_FAILURE, refuse } from './subscribe-error';
import { verifySubscriberSignature, type Subaccount, type SubscriberKey } from './subscriber-signature';

/** Signatures older than this are refused, and stored subscriptions expire this long after sig_ts. */
export const SIGNATURE_EXPIRY_SECONDS = 14 * 86_400;
/** A /subscribe sig_ts may be at most this far ahead of the server clock. */
export const SIGNATURE_FUTURE_SECONDS = 86_400;
/** An /unsubscribe sig_ts must be within this of the server clock. */
export const UNSUBSCRIBE_GRACE_SECONDS = 86_400;

const SESSION_PREFIX = 0x05;

/** What both requests carry. */
export interface SubscriberRequest {
  key: SubscriberKey;
  /** Set for 05 accounts: storage nodes need it to check the monitor signature. */
  sessionEd25519?: Buffer;
  subaccount?: Subaccount;
  signature: Buffer;
  sigTs: number;
  service: string;
  serviceInfo: unknown;
}

export interface SubscribeRequest extends SubscriberRequest {
  encKey: Buffer;
  /** Ascending, no duplicates, each an int16. */
  namespaces: number[];
  wantData: boolean;
}

export function asRequestObject(element: unknown): JsonObject {
  if (typeof element !== 'object' || element === null || Array.isArray(element)) {
    throw refuse('Invalid request: expected a JSON object');
  }
  return element as JsonObject;
}

/** The fields both requests share, before the service is looked up. */
export function readSubscriber(request: JsonObject): SubscriberRequest {
  const account = bytesField(request, 'pubkey', 33);
  const sessionEd25519 = account[0] === SESSION_PREFIX ? bytesField(request, 'session_ed25519', 32) : undefined;
  let subaccount: Subaccount | undefined;
  if (request.subaccount !== undefined && request.subaccount !== null) {
    if (request.subaccount_sig === undefined || request.subaccount_sig === null) {
      throw refuse('Cannot specify subaccount without subaccount_sig');
    }
    subaccount = { token: bytesField(request, 'subaccount', 36), signature: bytesField(request, 'subaccount_sig', 64) };
  }
  const signature = bytesField(request, 'signature', 64);
  if (sessionEd25519) checkSessionKey(account, sessionEd25519);
  return {
    key: { account, ed25519: sessionEd25519 ?? account.subarray(1) },
    ...(sessionEd25519 ? { sessionEd25519 } : {}),
    ...(subaccount ? { subaccount } : {}),
    signature,
    sigTs: integerField(request, 'sig_ts'),
    service: stringField(request, 'service'),
    serviceInfo: requireField(request, 'service_info'),
  };
}

/** The /subscribe-only fields and checks; throws on the first problem. */
export function readSubscription(request: JsonObject, subscriber: SubscriberRequest, nowSeconds: number): SubscribeRequest {
  const encKey = decodeBytes(stringField(request, 'enc_key'), 32);
  const namespaces = namespaceList(requireField(request, 'namespaces'));
  const wantData = booleanField(request, 'data');
  const { sigTs } = subscriber;
  if (sigTs === 0) throw refuse('Subscription: signature timestamp is missing');
  if (sigTs <= nowSeconds - SIGNATURE_EXPIRY_SECONDS) throw refuse('Subscription: sig_ts timestamp is too old');
  if (sigTs >= nowSeconds + SIGNATURE_FUTURE_SECONDS) throw refuse('Subscription: sig_ts timestamp is too far in the future');
  const signed = monitorSigningText(subscriber.key.account, sigTs, wantData, namespaces);
  verifySubscriberSignature(subscriber.key, signed, subscriber.signature, subscriber.subaccount);
  return { ...subscriber, encKey, namespaces, wantData };
}

/**
 * The /unsubscribe checks. Upstream answers a sig_ts outside the grace window with its generic
 * message (the check throws an exception type its handler does not name).
 */
export function checkUnsubscribe(subscriber: SubscriberRequest, nowSeconds: number): void {
  if (Math.abs(subscriber.sigTs - nowSeconds) > UNSUBSCRIBE_GRACE_SECONDS) throw refuse(GENERIC_FAILURE);
  const signed = unsubscribeSigningText(subscriber.key.account, subscriber.sigTs);
  verifySubscriberSignature(subscriber.key, signed, subscriber.signature, subscriber.subaccount);
}

function namespaceList(value: unknown): number[] {
  if (!Array.isArray(value) || !value.every((n) => Number.isInteger(n) && n >= -32768 && n <= 32767)) {
    throw refuse('Invalid namespaces: expected a list of integers in -32768..32767');
  }
  const namespaces = value as number[];
  if (namespaces.length === 0) throw refuse('Subscription: namespaces missing or empty');
  for (let i = 1; i < namespaces.length; i++) {
    if (namespaces[i - 1]! > namespaces[i]!) throw refuse('Subscription: namespaces are not sorted numerically');
    if (namespaces[i - 1] === namespaces[i]) throw refuse('Subscription: namespaces contains duplicates');
  }
  return namespaces;
}

function checkSessionKey(account: Buffer, sessionEd25519: Buffer): void {
  let x25519: Uint8Array;
  try {
    x25519 = ed25519PublicKeyToX25519(sessionEd25519);
  } catch {
    throw refuse('Failed to convert session_ed25519 to x25519 pubkey');
  }
  if (!Buffer.from(x25519).equals(account.subarray(1))) {
    throw refuse('account_id/session_ed25519 mismatch: session_ed25519 does not convert to given account_id');
  }
}
