// One call from either side (client.md 6). Caller: PRE_OFFER (wakes the callee) → OFFER → batches
// of ICE_CANDIDATES → END_CALL. Callee: ANSWER (also to its own swarm) → ICE_CANDIDATES. Either
// side's END_CALL ends the call on both; so does the apps' {"hangup":true} on the data channel,
// which arrives before the swarm delivers the END_CALL. Signals come from Inbox.poll (`handle`), in
// any order: candidates that arrive before the remote description are held until it is set. The
// media (media/call-media.ts) starts once connected and stops when the call ends.
import { randomUUID } from 'crypto';
import { ClientError } from '../network/errors';
import { CALL_TYPE, type CallMessageFields } from '../messaging/session-protos';
import { HANGUP_CONTROL } from './call-controls';
import { CallPeer, type IceServer, type SharedCandidate } from './call-peer';
import type { CallStats } from './call-stats';
import { CallMedia, type CallMediaOptions, type CallRecording, type MediaStatus } from './media/call-media';
import { answeredElsewhere, checkCallable, isLiveOffer, type CallSignal, type CallSignaler } from './call-signals';

export type CallState = 'calling' | 'connecting' | 'connected' | 'ended';

/** Candidates gathered within this many ms travel in one ICE_CANDIDATES message. */
const CANDIDATE_BATCH_MS = 200;

export interface CallSessionOptions {
  iceServers: IceServer[];
  direct?: boolean;
  onState?: (state: CallState, why?: string) => void;
  /** A candidate batch that could not be sent, or a media failure (the call goes on). */
  onError?: (err: unknown) => void;
  /** Sound and picture to send, and where to record the peer's. */
  media?: CallMediaOptions;
}

/** Once a second during a call: its state, how long it has been connected, and the link's figures. */
export interface CallStatus extends CallStats, MediaStatus {
  state: CallState;
  durationSeconds: number;
}

export class CallSession {
  private state: CallState;
  private readonly peerConnection: CallPeer;
  private readonly media: CallMedia;
  private connectedAtMs?: number;
  private recording: Promise<CallRecording> = Promise.resolve({});
  private remoteDescriptionSet = false;
  private readonly heldCandidates: SharedCandidate[] = [];
  private readonly outgoing: SharedCandidate[] = [];
  private flushTimer?: NodeJS.Timeout;
  private sending: Promise<unknown> = Promise.resolve();
  private endedResolve!: (why: string) => void;
  /** Resolves with the reason once the call is over, whichever side ended it. */
  readonly ended: Promise<string>;
  /** Every candidate line this side sent to the peer (for audits and tests). */
  readonly sentCandidates: string[] = [];

  private constructor(
    private readonly signaler: CallSignaler,
    readonly peer: string,
    readonly uuid: string,
    private readonly options: CallSessionOptions,
    initial: CallState,
  ) {
    this.state = initial;
    this.ended = new Promise((resolve) => (this.endedResolve = resolve));
    this.peerConnection = new CallPeer({ iceServers: options.iceServers, direct: options.direct, onCandidate: (c) => this.queueCandidate(c) });
    this.media = new CallMedia(this.peerConnection, { ...options.media, onError: (err) => options.onError?.(err) });
    this.peerConnection.onStateChange((s) => {
      if (s === 'connected') {
        this.connectedAtMs ??= performance.now();
        this.media.start();
        this.setState('connected');
      }
      if (s === 'failed') void this.finish('the connection failed', true);
    });
    this.peerConnection.onControl((control) => {
      if (control.kind === 'hangup') void this.finish('the other side hung up', false);
    });
  }

  /** Rings `to`: PRE_OFFER, then the OFFER. */
  static async call(signaler: CallSignaler, to: string, options: CallSessionOptions): Promise<CallSession> {
    const session = new CallSession(signaler, checkCallable(to), randomUUID(), options, 'calling');
    await session.signal({ type: CALL_TYPE.PRE_OFFER, uuid: session.uuid });
    const sdp = await session.peerConnection.offer();
    await session.signal({ type: CALL_TYPE.OFFER, uuid: session.uuid, sdps: [sdp] });
    session.options.onState?.('calling');
    return session;
  }

  /**
   * Answers a polled OFFER; an offer older than 5 minutes is refused. `backlog`: the signals polled
   * so far, so candidates that came in the same poll as the offer are not lost.
   */
  static async answer(signaler: CallSignaler, offer: CallSignal, nowMs: number, options: CallSessionOptions, backlog: readonly CallSignal[] = []): Promise<CallSession> {
    if (!isLiveOffer(offer, nowMs)) throw new ClientError('this call offer has expired (older than 5 minutes)', 'input');
    const sdp = offer.call.sdps?.[0];
    if (!sdp) throw new ClientError('the call offer carries no SDP', 'input');
    const session = new CallSession(signaler, offer.peer, offer.call.uuid, options, 'connecting');
    const answer = await session.peerConnection.answer(sdp);
    session.remoteDescriptionSet = true;
    await session.signal({ type: CALL_TYPE.ANSWER, uuid: session.uuid, sdps: [answer] });
    session.options.onState?.('connecting');
    for (const signal of backlog) await session.handle(signal);
    return session;
  }

  get currentState(): CallState {
    return this.state;
  }

  /** The data channel once the connection is up: the call's media stream. */
  channel() {
    return this.peerConnection.openChannel();
  }

  /** Sends silence instead of our sound (not signalled: the apps do the same). */
  setMuted(muted: boolean): void {
    this.media.setMuted(muted);
  }

  /** Camera on or off; the peer is told on the data channel. */
  setCamera(on: boolean): void {
    this.media.setCamera(on);
  }

  /** State, connected time, round-trip time, packet loss and media counters, right now. */
  async status(): Promise<CallStatus> {
    const durationSeconds = this.connectedAtMs === undefined ? 0 : (performance.now() - this.connectedAtMs) / 1000;
    const stats = this.state === 'ended' ? undefined : await this.peerConnection.stats().catch(() => undefined);
    return {
      state: this.state,
      durationSeconds,
      ...(stats ?? { packetsLost: 0, lossPercent: 0, packetsReceived: 0, packetsSent: 0, bytesReceived: 0, bytesSent: 0 }),
      ...this.media.status(),
    };
  }

  /** What was recorded of the peer, once the call has ended and the files are complete. */
  async recorded(): Promise<CallRecording> {
    await this.ended;
    return this.recording;
  }

  /** Applies one polled signal; signals of other calls are ignored. */
  async handle(signal: CallSignal): Promise<void> {
    const call = signal.call;
    if (call.uuid !== this.uuid || this.state === 'ended') return;
    if (answeredElsewhere(signal, this.uuid)) return this.finish('answered on another device', false);
    if (signal.direction !== 'in' || signal.peer !== this.peer) return;
    switch (call.type) {
      case CALL_TYPE.ANSWER:
        if (this.remoteDescriptionSet || !call.sdps?.[0]) return;
        await this.peerConnection.accept(call.sdps[0]);
        this.remoteDescriptionSet = true;
        this.setState('connecting');
        return this.flushHeld();
      case CALL_TYPE.ICE_CANDIDATES:
        this.heldCandidates.push(...candidatesOf(call));
        if (this.remoteDescriptionSet) return this.flushHeld();
        return;
      case CALL_TYPE.END_CALL:
        return this.finish('the other side hung up', false);
      default:
        return;
    }
  }

  /** Ends the call here and tells the peer. */
  hangUp(): Promise<void> {
    return this.finish('hung up', true);
  }

  private async finish(why: string, tellPeer: boolean): Promise<void> {
    if (this.state === 'ended') return;
    this.setState('ended', why);
    clearTimeout(this.flushTimer);
    this.recording = this.media.stop();
    // The apps say it on the data channel first: the peer hears of it at once, not at its next poll.
    if (tellPeer) await this.peerConnection.sendControlNow(HANGUP_CONTROL);
    await this.recording.catch(() => undefined);
    await this.peerConnection.close();
    if (tellPeer) await this.signal({ type: CALL_TYPE.END_CALL, uuid: this.uuid });
    this.endedResolve(why);
  }

  private setState(state: CallState, why?: string): void {
    if (this.state === state || this.state === 'ended') return;
    this.state = state;
    this.options.onState?.(state, why);
  }

  private async flushHeld(): Promise<void> {
    for (const c of this.heldCandidates.splice(0)) await this.peerConnection.addCandidate(c);
  }

  private queueCandidate(candidate: SharedCandidate): void {
    this.outgoing.push(candidate);
    clearTimeout(this.flushTimer);
    this.flushTimer = setTimeout(() => void this.sendCandidates().catch((err) => this.options.onError?.(err)), CANDIDATE_BATCH_MS);
  }

  private async sendCandidates(): Promise<void> {
    const batch = this.outgoing.splice(0);
    if (batch.length === 0 || this.state === 'ended') return;
    this.sentCandidates.push(...batch.map((c) => c.candidate));
    await this.signal({
      type: CALL_TYPE.ICE_CANDIDATES,
      uuid: this.uuid,
      sdps: batch.map((c) => c.candidate),
      sdpMLineIndexes: batch.map((c) => c.sdpMLineIndex ?? 0),
      sdpMids: batch.map((c) => c.sdpMid ?? ''),
    });
  }

  /** Call messages leave one at a time, in order (an OFFER before its candidates). */
  private signal(call: CallMessageFields): Promise<void> {
    const next = this.sending.then(() => this.signaler.send(this.peer, call));
    this.sending = next.catch(() => undefined);
    return next.then(() => undefined);
  }
}

function candidatesOf(call: CallMessageFields): SharedCandidate[] {
  return (call.sdps ?? []).map((candidate, i) => ({ candidate, sdpMid: call.sdpMids?.[i] || undefined, sdpMLineIndex: call.sdpMLineIndexes?.[i] }));
}
