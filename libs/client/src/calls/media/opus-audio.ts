// A call's sound as Opus in RTP (RFC 7587): one 20 ms mono frame per packet, timestamps on the
// 48 kHz clock, encoded and decoded in process with libopus (the opusscript build). The sender
// is paced by the wall clock; muted, it sends encoded silence as a browser does for a disabled
// track. The receiver puts packets back in order and conceals a lost one with silence, so the
// recording keeps the call's timing.
import { randomInt } from 'crypto';
import OpusScript from 'opusscript';
import { RtpHeader, RtpPacket, type MediaStreamTrack } from 'werift';
import { FRAME_MS, FRAME_SAMPLES, SAMPLE_RATE, type AudioSource } from './audio-source';

/** What browsers send by default for speech. */
const OPUS_BITRATE = 32_000;
/** OPUS_SET_VBR_REQUEST (opus_defines.h): 0 asks for constant bitrate. */
const OPUS_SET_VBR_REQUEST = 4006;
/** After a stall longer than this, the sender skips ahead instead of sending a burst. */
const MAX_CATCH_UP_FRAMES = 10;
/** Packets held while waiting for a missing one before it is given up as lost. */
const REORDER_PACKETS = 3;

export interface OpusSenderOptions {
  /** Constant bitrate, as Session desktop asks for in its offer (`cbr=1`). */
  cbr?: boolean;
  /** Called with each frame as it goes to the encoder (before muting), and the time it did. */
  onFrame?: (pcm: Int16Array, atMs: number) => void;
}

export class OpusSender {
  muted = false;
  private readonly encoder = new OpusScript(SAMPLE_RATE, 1, OpusScript.Application.VOIP);
  private readonly frame = new Int16Array(FRAME_SAMPLES);
  private sequenceNumber = randomInt(0x10000);
  private timestamp = randomInt(0x1_0000_0000);
  private startMs = 0;
  private sent = 0;
  private timer?: NodeJS.Timeout;
  private stopped = false;

  constructor(
    private readonly track: MediaStreamTrack,
    private readonly source: AudioSource,
    private readonly options: OpusSenderOptions = {},
  ) {
    this.encoder.setBitrate(OPUS_BITRATE);
    if (options.cbr) this.encoder.encoderCTL(OPUS_SET_VBR_REQUEST, 0);
  }

  start(): void {
    this.startMs = performance.now();
    this.tick();
  }

  /** Frames sent so far. */
  get frames(): number {
    return this.sent;
  }

  private tick(): void {
    if (this.stopped) return;
    const now = performance.now();
    let due = Math.floor((now - this.startMs) / FRAME_MS) + 1;
    if (due - this.sent > MAX_CATCH_UP_FRAMES) {
      // The event loop stalled: the lost time is not sent late in a burst.
      this.startMs = now - this.sent * FRAME_MS;
      due = this.sent + 1;
    }
    while (this.sent < due) this.sendFrame();
    this.timer = setTimeout(() => this.tick(), Math.max(0, this.startMs + this.sent * FRAME_MS - performance.now()));
  }

  private sendFrame(): void {
    this.source.read(this.frame);
    this.options.onFrame?.(this.frame, performance.timeOrigin + performance.now());
    if (this.muted) this.frame.fill(0);
    const payload = this.encoder.encode(Buffer.from(this.frame.buffer, this.frame.byteOffset, this.frame.byteLength), FRAME_SAMPLES);
    const header = new RtpHeader({ sequenceNumber: this.sequenceNumber, timestamp: this.timestamp, marker: this.sent === 0 });
    this.track.writeRtp(new RtpPacket(header, Buffer.from(payload)));
    this.sequenceNumber = (this.sequenceNumber + 1) & 0xffff;
    this.timestamp = (this.timestamp + FRAME_SAMPLES) >>> 0;
    this.sent++;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    this.encoder.delete();
    await this.source.close();
  }
}

export class OpusReceiver {
  private readonly decoder = new OpusScript(SAMPLE_RATE, 1, OpusScript.Application.VOIP);
  private expected?: number;
  private readonly held = new Map<number, Buffer>();
  private closed = false;
  /** Frames decoded, and frames filled with silence for packets that never came. */
  decoded = 0;
  concealed = 0;

  /** `onPcm` gets each 20 ms (or whatever the sender's frame length is) in order. */
  constructor(private readonly onPcm: (pcm: Int16Array) => void) {}

  push(packet: RtpPacket): void {
    if (this.closed) return;
    const seq = packet.header.sequenceNumber;
    if (this.expected === undefined) this.expected = seq;
    // Older than what was already played out (late or duplicate): too late to use.
    if (((seq - this.expected) & 0xffff) >= 0x8000) return;
    this.held.set(seq, packet.payload);
    this.drain();
    while (this.held.size > REORDER_PACKETS) {
      this.conceal();
      this.drain();
    }
  }

  private drain(): void {
    for (let payload = this.held.get(this.expected!); payload; payload = this.held.get(this.expected!)) {
      this.held.delete(this.expected!);
      this.expected = (this.expected! + 1) & 0xffff;
      this.decode(payload);
    }
  }

  private decode(payload: Buffer): void {
    let pcm: Buffer;
    try {
      pcm = this.decoder.decode(payload);
    } catch {
      return this.concealFrame(); // a corrupt packet sounds like a lost one
    }
    this.decoded++;
    const copy = Buffer.from(pcm); // the decoder reuses its output buffer
    this.onPcm(new Int16Array(copy.buffer, copy.byteOffset, copy.length / 2));
  }

  private conceal(): void {
    this.expected = (this.expected! + 1) & 0xffff;
    this.concealFrame();
  }

  private concealFrame(): void {
    this.concealed++;
    this.onPcm(new Int16Array(FRAME_SAMPLES));
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.decoder.delete();
  }
}

/** Whether an SDP's Opus line asks its receiver's peer for constant bitrate (`cbr=1`, as desktop's offers do). */
export function opusCbrRequested(sdp: string | undefined): boolean {
  if (!sdp) return false;
  const rtpmap = /^a=rtpmap:(\d+) opus\/48000/im.exec(sdp);
  if (!rtpmap) return false;
  const fmtp = new RegExp(`^a=fmtp:${rtpmap[1]} (.*)$`, 'm').exec(sdp.replace(/\r/g, ''));
  return !!fmtp && fmtp[1].split(';').some((p) => p.trim() === 'cbr=1');
}
