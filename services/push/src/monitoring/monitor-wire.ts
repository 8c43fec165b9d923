// The push service's side of the storage nodes' Monitor RPC (proto swarmstore.v1): stored
// subscriptions become MonitorSubscriptions (the subscriber's own signature, replayed), and
// notices from a node become MessageNotices for the dispatcher. Renewal timing is upstream's.
import type { swarmstore } from '@starling/proto';
import type { MessageNotice } from '../notices/notice-dispatcher';
import type { MonitoredSubscription } from '../subscriptions/subscription-store';

/** Upstream renews each account on each node after a random 45-55 minutes (nodes keep 65). */
export const RESUBSCRIBE_MIN_MS = 45 * 60_000;
export const RESUBSCRIBE_MAX_MS = 55 * 60_000;

export function resubscribeDelayMs(random: () => number = Math.random): number {
  return RESUBSCRIBE_MIN_MS + Math.floor(random() * (RESUBSCRIBE_MAX_MS - RESUBSCRIBE_MIN_MS));
}

const EMPTY = Buffer.alloc(0);

/** A 05 account is named by its Ed25519 key (P=), any other by its 33 bytes (p=). */
export function monitorSubscription(sub: MonitoredSubscription): swarmstore.MonitorSubscription {
  const session = sub.account[0] === 0x05 && sub.sessionEd25519 !== undefined;
  return {
    pubkey: session ? EMPTY : sub.account,
    sessionEd25519: session ? sub.sessionEd25519! : EMPTY,
    subaccountToken: sub.subaccountToken ?? EMPTY,
    subaccountSignature: sub.subaccountSig ?? EMPTY,
    namespaces: sub.namespaces,
    wantData: sub.wantData,
    signatureTimestamp: String(sub.sigTs),
    signature: sub.signature,
  };
}

/** undefined for a notice that cannot be a stored message (the dispatcher would refuse it too). */
export function messageNotice(n: swarmstore.MonitorNotice): MessageNotice | undefined {
  const timestampMs = Number(n.timestampMs);
  const expiryMs = Number(n.expiryMs);
  if (n.pubkey.length !== 33 || !Number.isSafeInteger(timestampMs) || !Number.isSafeInteger(expiryMs)) return undefined;
  return {
    account: Buffer.from(n.pubkey),
    hash: n.hash,
    namespace: n.namespace,
    timestampMs,
    expiryMs,
    ...(n.data === undefined ? {} : { data: Buffer.from(n.data) }),
  };
}
