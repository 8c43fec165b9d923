// One end of a call's WebRTC connection (werift, pure TypeScript). Relay-only unless `direct`:
// only TURN relay candidates are gathered (iceTransportPolicy 'relay') and only those leave this
// module (call-candidates.ts), so neither peer learns the other's address; the TURN server does
// see ours. The connection is shaped as Session desktop's (CallManager.ts upstream): one bundle,
// RTCP muxed, m-lines audio (Opus, payload type 111), video (VP8, 96), then the data channel
// "session-datachannel", pre-negotiated on both sides with id 548 rather than announced in-band.
import {
  MediaStreamTrack,
  RTCIceCandidate,
  RTCPeerConnection,
  RTCSessionDescription,
  useOPUS,
  useVP8,
  type RTCDataChannel,
  type RTCRtpTransceiver,
} from 'werift';
import { ClientError } from '../network/errors';
import { shareableCandidate, shareableSdp } from './call-candidates';
import { readControl, type CallControl } from './call-controls';
import { summarizeStats, type CallStats } from './call-stats';

export const DATA_CHANNEL_LABEL = 'session-datachannel';
/** The apps' fixed id for the pre-negotiated channel ("SESSION" as ASCII codes, added up). */
export const DATA_CHANNEL_ID = 548;
/** Chrome's (and so desktop's) payload types for Opus and VP8. */
export const OPUS_PAYLOAD_TYPE = 111;
export const VP8_PAYLOAD_TYPE = 96;
/** Desktop rewrites its offer's Opus line to this: 10 ms frames allowed, constant bitrate asked for. */
export const OPUS_FMTP = 'minptime=10;cbr=1';
/** At most this long for a last control message to leave before the connection closes. */
const CONTROL_FLUSH_MS = 250;

export interface IceServer {
  urls: string;
  username?: string;
  credential?: string;
}

export interface SharedCandidate {
  candidate: string;
  sdpMid?: string;
  sdpMLineIndex?: number;
}

/** The open data channel as a call uses it; messages that came before a listener are kept for it. */
export interface CallChannel {
  send(data: Buffer | string): void;
  onMessage(listener: (data: Buffer | string) => void): void;
}

export interface CallPeerOptions {
  iceServers: IceServer[];
  /** Peer-to-peer candidates too: faster, but the peer learns our address. */
  direct?: boolean;
  /** Each candidate we are willing to send, as it is gathered. */
  onCandidate: (candidate: SharedCandidate) => void;
}

export class CallPeer {
  private readonly pc: RTCPeerConnection;
  private channel?: RTCDataChannel;
  private channelCreated!: (channel: RTCDataChannel) => void;
  private readonly channelReady = new Promise<RTCDataChannel>((resolve) => (this.channelCreated = resolve));
  private closed = false;
  /** Stream messages that arrived before anyone listened (the peer may send as soon as it is open). */
  private readonly early: (Buffer | string)[] = [];
  private listener?: (data: Buffer | string) => void;
  private readonly controlListeners: ((control: CallControl) => void)[] = [];
  /** What we send: the media code writes RTP to these. */
  readonly audioTrack = new MediaStreamTrack({ kind: 'audio' });
  readonly videoTrack = new MediaStreamTrack({ kind: 'video' });

  constructor(options: CallPeerOptions) {
    if (!options.direct && !options.iceServers.some((s) => /^turns?:/.test(s.urls))) {
      throw new ClientError('a relay-only call needs a TURN server', 'input');
    }
    this.pc = new RTCPeerConnection({
      iceServers: options.iceServers,
      iceTransportPolicy: options.direct ? 'all' : 'relay',
      bundlePolicy: 'max-bundle',
      codecs: {
        audio: [useOPUS({ payloadType: OPUS_PAYLOAD_TYPE, parameters: OPUS_FMTP })],
        video: [useVP8({ payloadType: VP8_PAYLOAD_TYPE })],
      },
    });
    this.pc.onIceCandidate.subscribe((candidate) => {
      if (!candidate) return;
      const line = shareableCandidate(candidate.candidate, options.direct ?? false);
      if (line !== undefined) options.onCandidate({ candidate: line, sdpMid: candidate.sdpMid, sdpMLineIndex: candidate.sdpMLineIndex });
    });
  }

  /** Caller: audio, video and the data channel, in desktop's order; returns the offer SDP to send. */
  async offer(): Promise<string> {
    this.pc.addTransceiver(this.audioTrack, { direction: 'sendrecv' });
    this.pc.addTransceiver(this.videoTrack, { direction: 'sendrecv' });
    this.openDataChannel();
    await this.pc.setLocalDescription(await this.pc.createOffer());
    return shareableSdp(this.pc.localDescription!.sdp);
  }

  /** Callee: takes the offer, sends our tracks on its m-lines, and returns the answer SDP to send. */
  async answer(offerSdp: string): Promise<string> {
    await this.pc.setRemoteDescription(new RTCSessionDescription(offerSdp, 'offer'));
    for (const transceiver of this.pc.getTransceivers()) {
      const track = transceiver.kind === 'audio' ? this.audioTrack : transceiver.kind === 'video' ? this.videoTrack : undefined;
      if (!track) continue;
      await transceiver.sender.replaceTrack(track);
      transceiver.setDirection('sendrecv');
    }
    this.openDataChannel();
    await this.pc.setLocalDescription(await this.pc.createAnswer());
    return shareableSdp(this.pc.localDescription!.sdp);
  }

  /** Caller: takes the callee's answer. */
  async accept(answerSdp: string): Promise<void> {
    await this.pc.setRemoteDescription(new RTCSessionDescription(answerSdp, 'answer'));
  }

  async addCandidate(candidate: SharedCandidate): Promise<void> {
    if (this.closed) return;
    await this.pc.addIceCandidate(new RTCIceCandidate(candidate));
  }

  /** The peer's SDP once set (its Opus parameters say how it wants to be sent to). */
  remoteSdp(): string | undefined {
    return this.pc.remoteDescription?.sdp;
  }

  /** Each of the peer's tracks (audio, video) as negotiation reveals it. */
  onRemoteTrack(listener: (track: MediaStreamTrack) => void): void {
    this.pc.onTrack.subscribe((track) => listener(track));
  }

  /** Asks the peer for a key frame (RTCP PLI) on its video. */
  requestKeyframe(): void {
    const receiver = this.videoTransceiver()?.receiver;
    const ssrc = receiver?.tracks[0]?.ssrc;
    if (receiver && ssrc !== undefined && !this.closed) receiver.sendRtcpPLI(ssrc).catch(() => undefined);
  }

  private videoTransceiver(): RTCRtpTransceiver | undefined {
    return this.pc.getTransceivers().find((t) => t.kind === 'video');
  }

  /** The open data channel (pre-negotiated: both sides made it). */
  async openChannel(): Promise<CallChannel> {
    const channel = await this.openedChannel();
    return {
      send: (data) => channel.send(data),
      onMessage: (listener) => {
        this.listener = listener;
        for (const data of this.early.splice(0)) listener(data);
      },
    };
  }

  /** The apps' control messages (camera on/off, hang-up) arriving on the data channel. */
  onControl(listener: (control: CallControl) => void): void {
    this.controlListeners.push(listener);
  }

  /** Sends a control message once the channel is open; dropped if the call is over by then. */
  async sendControl(text: string): Promise<void> {
    const channel = await this.openedChannel();
    if (!this.closed && channel.readyState === 'open') channel.send(text);
  }

  /**
   * Sends a control message only if the channel is open now (a hang-up does not wait for it), and
   * gives SCTP a moment to put it on the wire before the connection closes.
   */
  async sendControlNow(text: string): Promise<void> {
    const channel = this.channel;
    if (this.closed || channel?.readyState !== 'open') return;
    channel.send(text);
    const deadline = performance.now() + CONTROL_FLUSH_MS;
    while (channel.bufferedAmount > 0 && performance.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 5));
  }

  private async openedChannel(): Promise<RTCDataChannel> {
    const channel = await this.channelReady;
    if (channel.readyState !== 'open') {
      await new Promise<void>((resolve) => channel.stateChanged.subscribe((state) => state === 'open' && resolve()));
    }
    return channel;
  }

  private openDataChannel(): void {
    const channel = this.pc.createDataChannel(DATA_CHANNEL_LABEL, { negotiated: true, id: DATA_CHANNEL_ID, ordered: true });
    channel.onMessage.subscribe((data) => {
      const control = readControl(data);
      if (control) for (const listener of this.controlListeners) listener(control);
      else if (this.listener) this.listener(data);
      else this.early.push(data);
    });
    this.channel = channel;
    this.channelCreated(channel);
  }

  async stats(): Promise<CallStats> {
    const report = await this.pc.getStats();
    return summarizeStats(report.values() as Iterable<{ type: string }>);
  }

  /** new, connecting, connected, disconnected, failed or closed. */
  connectionState(): string {
    return this.pc.connectionState;
  }

  /** Called on every connection state change. */
  onStateChange(listener: (state: string) => void): void {
    this.pc.connectionStateChange.subscribe((state) => listener(state));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.audioTrack.stop();
    this.videoTrack.stop();
    await this.pc.close();
  }
}
