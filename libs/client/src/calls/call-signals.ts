// Call signalling as ordinary 1:1 Session messages (client.md 6): a CallMessage in Content,
// sealed and signed like a text, stored in the recipient's namespace 0 with a 5-minute TTL. The
// callee's ANSWER also goes to its own swarm, so its other devices stop ringing. Media never
// travels this way; only SDPs and ICE candidates do.
import { fromHex, messageHash, parseSessionId } from '@starling/crypto';
import { AccountStore } from '../account/account-store';
import { ClientError } from '../network/errors';
import { encodeMessage } from '../messaging/wire';
import { CALL_TYPE, type CallMessageFields } from '../messaging/session-protos';
import { storeToInbox } from '../storage/own-swarm-requests';
import { SwarmAccess } from '../storage/swarm-access';
import { confirmStored } from '../storage/swarm-receipts';
import { isBlocked } from '../sync/config-changes';

/** Lifetime of a call message in the swarm. */
export const CALL_TTL_MS = 5 * 60_000;
/** An OFFER older than this is a missed call, never a ringing one. */
export const OFFER_MAX_AGE_MS = 5 * 60_000;

/** A call message as polled (inbox.ts). */
export interface CallSignal {
  hash: string;
  /** 'out': our own copy (an ANSWER given on another device of ours). */
  direction: 'in' | 'out';
  /** Who sent it (ourselves for 'out'). */
  peer: string;
  sentAtMs: number;
  call: CallMessageFields;
}

/** Group ids start with 03; Session has no group calls, and neither do we. */
export function checkCallable(sessionId: string): string {
  if (/^03[0-9a-f]{64}$/i.test(sessionId)) throw new ClientError('group calls are not supported: call one member at a time', 'input');
  parseSessionId(sessionId);
  return sessionId.toLowerCase();
}

/** Offers that may still ring at `nowMs`: incoming, younger than 5 minutes. */
export function isLiveOffer(signal: CallSignal, nowMs: number): boolean {
  return signal.direction === 'in' && signal.call.type === CALL_TYPE.OFFER && nowMs - signal.sentAtMs <= OFFER_MAX_AGE_MS;
}

/** Another device of ours answered this call. */
export function answeredElsewhere(signal: CallSignal, uuid: string): boolean {
  return signal.direction === 'out' && signal.call.type === CALL_TYPE.ANSWER && signal.call.uuid === uuid;
}

export class CallSignaler {
  constructor(
    private readonly store: AccountStore,
    private readonly swarm: SwarmAccess,
  ) {}

  /** Stores one call message for `to`; an ANSWER is copied to our own swarm too. Returns the hash. */
  async send(to: string, call: CallMessageFields): Promise<string> {
    const recipient = checkCallable(to);
    const identity = this.store.identity();
    if (isBlocked(this.store.readState(), recipient)) throw new ClientError(`${recipient} is blocked; unblock it to call`, 'input');
    const hash = await this.deposit(recipient, call);
    if (call.type === CALL_TYPE.ANSWER) {
      const syncHash = await this.deposit(identity.sessionId, call);
      // This device knows it answered; only the others need the copy.
      const poll = this.store.readPollState();
      poll.seen.push(syncHash);
      this.store.writePollState(poll);
    }
    return hash;
  }

  private async deposit(pubkey: string, call: CallMessageFields): Promise<string> {
    const secret = this.store.identity().ed25519.secretKey;
    const attempt = async () => {
      const sentAtMs = this.swarm.clock.now();
      const data = encodeMessage(secret, pubkey, { callMessage: call }, sentAtMs);
      const reply = await this.swarm.request(pubkey, 'store', () => storeToInbox(pubkey, 0, sentAtMs, CALL_TTL_MS, data));
      const hash = messageHash(fromHex(pubkey, 33), 0, data);
      confirmStored(reply, hash, await this.swarm.swarmOf(pubkey), 'sending the call message');
      return hash;
    };
    try {
      return await attempt();
    } catch (err) {
      // The node refused our clock and the swarm client has learned the network time: the
      // signed time is part of the message, so it is encoded again.
      if (!(err instanceof ClientError) || err.kind !== 'clock') throw err;
      return attempt();
    }
  }
}
