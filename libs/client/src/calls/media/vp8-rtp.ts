// VP8 in RTP (RFC 7741): a frame is cut into payloads that each start with a payload descriptor;
// the first carries S=1, the last travels with the RTP marker bit. We always send a 15-bit
// picture id (what browsers send), and read any descriptor a browser may send.
import type { RtpHeader } from 'werift';

/** Payload bytes per packet: leaves room for RTP header extensions, SRTP and TURN framing under a 1200-byte datagram. */
export const VP8_MAX_PAYLOAD = 1100;

/** The payloads of one frame, in order; the caller sets the marker bit on the last one. */
export function packetizeVp8(frame: Uint8Array, pictureId: number, maxPayload = VP8_MAX_PAYLOAD): Buffer[] {
  const descriptor = 4; // X|S byte, I byte, 15-bit picture id
  const room = maxPayload - descriptor;
  const payloads: Buffer[] = [];
  for (let at = 0; at < frame.length || payloads.length === 0; at += room) {
    const chunk = frame.subarray(at, Math.min(frame.length, at + room));
    const head = Buffer.from([at === 0 ? 0x90 : 0x80, 0x80, 0x80 | ((pictureId >> 8) & 0x7f), pictureId & 0xff]);
    payloads.push(Buffer.concat([head, chunk]));
  }
  return payloads;
}

export interface Vp8Payload {
  /** S=1 and partition 0: the first packet of a frame. */
  frameStart: boolean;
  data: Buffer;
}

/** Strips the payload descriptor; undefined if the payload is too short for the descriptor it announces. */
export function readVp8Payload(payload: Buffer): Vp8Payload | undefined {
  if (payload.length < 1) return undefined;
  const first = payload[0];
  let at = 1;
  if (first & 0x80) {
    if (payload.length < 2) return undefined;
    const ext = payload[1];
    at = 2;
    if (ext & 0x80) {
      if (payload.length <= at) return undefined;
      at += payload[at] & 0x80 ? 2 : 1; // picture id, 15 or 7 bits
    }
    if (ext & 0x40) at += 1; // TL0PICIDX
    if (ext & 0x30) at += 1; // TID / KEYIDX
  }
  if (payload.length < at) return undefined;
  return { frameStart: (first & 0x10) !== 0 && (first & 0x07) === 0, data: payload.subarray(at) };
}

/** A VP8 frame's first byte says key frame when its lowest bit is 0 (RFC 6386 9.1). */
export function isVp8Keyframe(frame: Uint8Array): boolean {
  return frame.length > 0 && (frame[0] & 0x01) === 0;
}

/** Width and height from a key frame's header (start code 9d 01 2a, then 14-bit sizes). */
export function vp8FrameSize(frame: Uint8Array): { width: number; height: number } | undefined {
  if (!isVp8Keyframe(frame) || frame.length < 10 || frame[3] !== 0x9d || frame[4] !== 0x01 || frame[5] !== 0x2a) return undefined;
  return { width: (frame[6] | (frame[7] << 8)) & 0x3fff, height: (frame[8] | (frame[9] << 8)) & 0x3fff };
}

export interface Vp8Frame {
  data: Buffer;
  /** RTP timestamp (90 kHz). */
  timestamp: number;
  keyframe: boolean;
}

/**
 * Puts frames back together from their packets. A frame is complete when its first packet
 * (S=1), its marker packet and every sequence number between arrived; a frame with a hole is
 * dropped, and so is every frame after it until a key frame (the decoder would show garbage),
 * with `onKeyframeNeeded` asking the sender for one (a PLI).
 */
export class Vp8FrameAssembler {
  private timestamp?: number;
  private readonly parts = new Map<number, Vp8Payload>();
  private needKeyframe = true;
  private keyframeAsked = false;
  /** Frames dropped because a packet was missing or a key frame was awaited. */
  dropped = 0;

  constructor(
    private readonly onFrame: (frame: Vp8Frame) => void,
    private readonly onKeyframeNeeded: () => void = () => undefined,
  ) {}

  push(header: Pick<RtpHeader, 'sequenceNumber' | 'timestamp' | 'marker'>, payload: Buffer): void {
    const part = readVp8Payload(payload);
    if (!part) return;
    if (this.timestamp !== undefined && header.timestamp !== this.timestamp) {
      // A newer frame began before this one completed: its marker packet was lost.
      if (this.parts.size > 0) this.lose();
      this.parts.clear();
    }
    this.timestamp = header.timestamp;
    this.parts.set(header.sequenceNumber, part);
    if (header.marker) this.complete(header.sequenceNumber);
  }

  private complete(last: number): void {
    const ordered: Vp8Payload[] = [];
    for (let i = 0; i < this.parts.size; i++) {
      const part = this.parts.get((last - i) & 0xffff);
      if (!part) break;
      ordered.unshift(part);
      if (part.frameStart) break;
    }
    const whole = ordered.length > 0 && ordered[0].frameStart && ordered.length === this.parts.size;
    const timestamp = this.timestamp!;
    this.parts.clear();
    this.timestamp = undefined;
    if (!whole) return this.lose();
    const data = Buffer.concat(ordered.map((p) => p.data));
    const keyframe = isVp8Keyframe(data);
    if (this.needKeyframe && !keyframe) return this.lose();
    this.needKeyframe = false;
    this.keyframeAsked = false;
    this.onFrame({ data, timestamp, keyframe });
  }

  private lose(): void {
    this.dropped++;
    this.needKeyframe = true;
    if (this.keyframeAsked) return;
    this.keyframeAsked = true;
    this.onKeyframeNeeded();
  }
}
