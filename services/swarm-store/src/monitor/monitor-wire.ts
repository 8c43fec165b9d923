// The Monitor RPC's messages (proto swarmstore.v1) to and from the registry, so that the gRPC
// handler only moves them: a request becomes one MonitorResult, a stored message becomes notices
// for the streams that watch it, a swarm change becomes MonitorEnded events.
import type { swarmstore } from '@starling/proto';
import type { StoredMessage } from '../storage/message-store';
import type { MonitorEnded, MonitorNotice, MonitorRegistry } from './monitor-registry';
import type { MonitorSubscriptionInput } from './monitor-subscription';

/** Where a stream's events go (the gRPC call's write side). */
export interface MonitorSink {
  write(event: swarmstore.MonitorResponse): void;
}

export function subscriptionInput(s: swarmstore.MonitorSubscription): MonitorSubscriptionInput {
  const t = Number(s.signatureTimestamp);
  return {
    pubkey: s.pubkey,
    sessionEd25519: s.sessionEd25519,
    subaccountToken: s.subaccountToken,
    subaccountSignature: s.subaccountSignature,
    namespaces: s.namespaces,
    wantData: s.wantData,
    signatureTimestamp: Number.isSafeInteger(t) ? t : Number.NaN,
    signature: s.signature,
  };
}

/** Subscribes everything in the request on this stream; the answer to write back. */
export function answerMonitorRequest(registry: MonitorRegistry<MonitorSink>, sink: MonitorSink, request: swarmstore.MonitorRequest): swarmstore.MonitorResponse {
  const outcomes = registry.subscribe(sink, request.subscriptions.map(subscriptionInput));
  return { result: { requestId: request.requestId, outcomes } };
}

/** Writes the notices of a newly stored message to the streams watching its account. */
export function publishStored(registry: MonitorRegistry<MonitorSink>, message: StoredMessage): number {
  const notices = registry.onStored(message);
  for (const { stream, notice } of notices) stream.write(noticeEvent(notice));
  return notices.length;
}

/** After a swarm change: ends the monitors of accounts this node no longer holds. */
export function publishForeign(registry: MonitorRegistry<MonitorSink>, stillOurs: (account: Buffer) => boolean): number {
  const ended = registry.dropForeign(stillOurs);
  for (const { stream, ended: e } of ended) stream.write(endedEvent(e));
  return ended.length;
}

export function noticeEvent(n: MonitorNotice): swarmstore.MonitorResponse {
  return {
    notice: {
      pubkey: n.account,
      hash: n.hash,
      namespace: n.namespace,
      timestampMs: String(n.timestampMs),
      expiryMs: String(n.expiryMs),
      ...(n.data ? { data: n.data } : {}),
    },
  };
}

function endedEvent(e: MonitorEnded): swarmstore.MonitorResponse {
  return { ended: { pubkey: e.account, errcode: e.errcode, error: e.error } };
}
