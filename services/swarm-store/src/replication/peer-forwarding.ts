// What the entry node needs to reach its swarm peers: forwarding a recursive request now, and
// a durable queue for what a peer could not take (retried until it can).
import type { SwarmMember } from '@starling/membership';

export interface PeerAnswer {
  status: number;
  body: string;
}

export interface PeerForwarder {
  /** Forwards a validated request to a peer; rejects on transport failure or timeout. */
  forward(peer: SwarmMember, method: string, paramsJson: string, receivedMs: number): Promise<PeerAnswer>;
}

export interface ReplicationQueue {
  /** The peer still needs this message (pushed as data, so no signature window can expire). */
  enqueuePush(peerEd25519: string, hashes: readonly string[], receivedMs: number): Promise<void>;
  /** The peer still needs this request (replayed at its original time). */
  enqueueForward(peerEd25519: string, method: string, paramsJson: string, receivedMs: number): Promise<void>;
}
