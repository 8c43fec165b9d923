// One end of a call's WebRTC connection (werift, pure TypeScript). Relay-only unless `direct`:
// only TURN relay candidates are gathered (iceTransportPolicy 'relay') and only those leave this
// module (call-candidates.ts), so neither peer learns the other's address; the TURN server does
// see ours. The media here is a data channel ("session-datachannel", as the apps name theirs).
import { RTCIceCandidate, RTCPeerConnection, RTCSessionDescription, type RTCDataChannel } from 'werift';
import { ClientError } from '../network/errors';
import { shareableCandidate, shareableSdp } from './call-candidates';

export const DATA_CHANNEL_LABEL = 'session-datachannel';

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
  private readonly channelReady: Promise<RTCDataChannel>;
  private channel?: RTCDataChannel;
  private closed = false;
  /** Messages that arrived before anyone listened (the peer may send as soon as it is open). */
  private readonly early: (Buffer | string)[] = [];
  private listener?: (data: Buffer | string) => void;

  constructor(options: CallPeerOptions) {
    if (!options.direct && !options.iceServers.some((s) => /^turns?:/.test(s.urls))) {
      throw new ClientError('a relay-only call needs a TURN server', 'input');
    }
    this.pc = new RTCPeerConnection({ iceServers: options.iceServers, iceTransportPolicy: options.direct ? 'all' : 'relay' });
    this.pc.onIceCandidate.subscribe((candidate) => {
      if (!candidate) return;
      const line = shareableCandidate(candidate.candidate, options.direct ?? false);
      if (line !== undefined) options.onCandidate({ candidate: line, sdpMid: candidate.sdpMid, sdpMLineIndex: candidate.sdpMLineIndex });
    });
    this.channelReady = new Promise((resolve) => {
      this.pc.onDataChannel.subscribe((channel) => {
        this.listen(channel);
        resolve(channel);
      });
    });
  }

  /** Caller: opens the data channel and returns the offer SDP to send. */
  async offer(): Promise<string> {
    this.channel = this.pc.createDataChannel(DATA_CHANNEL_LABEL);
    this.listen(this.channel);
    await this.pc.setLocalDescription(await this.pc.createOffer());
    return shareableSdp(this.pc.localDescription!.sdp);
  }

  /** Callee: takes the offer and returns the answer SDP to send. */
  async answer(offerSdp: string): Promise<string> {
    await this.pc.setRemoteDescription(new RTCSessionDescription(offerSdp, 'offer'));
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

  /** The open data channel (the caller's own, or the one the caller opened to us). */
  async openChannel(): Promise<CallChannel> {
    const channel = this.channel ?? (await this.channelReady);
    if (channel.readyState !== 'open') {
      await new Promise<void>((resolve) => channel.stateChanged.subscribe((state) => state === 'open' && resolve()));
    }
    return {
      send: (data) => channel.send(data),
      onMessage: (listener) => {
        this.listener = listener;
        for (const data of this.early.splice(0)) listener(data);
      },
    };
  }

  private listen(channel: RTCDataChannel): void {
    channel.onMessage.subscribe((data) => (this.listener ? this.listener(data) : this.early.push(data)));
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
    await this.pc.close();
  }
}
