// Sends encoded VP8 frames as RTP on our video track. With the camera off nothing is sent (the
// peer is told over the data channel, call-controls.ts); when it comes back on, sending resumes
// at the next key frame so the peer's decoder never starts on a delta frame.
import { randomInt } from 'crypto';
import { RtpHeader, RtpPacket, type MediaStreamTrack } from 'werift';
import type { IvfFrame, IvfHeader } from './ivf';
import { isVp8Keyframe, packetizeVp8 } from './vp8-rtp';

const VIDEO_CLOCK = 90_000;

export class VideoSender {
  private cameraOn = true;
  private waitForKeyframe = true;
  private sequenceNumber = randomInt(0x10000);
  private readonly timestampBase = randomInt(0x1_0000_0000);
  private pictureId = randomInt(0x8000);
  /** Frames sent so far. */
  frames = 0;
  /** Size of the last frames sent (the encoder's output). */
  size?: { width: number; height: number };

  constructor(private readonly track: MediaStreamTrack) {}

  setCamera(on: boolean): void {
    if (on && !this.cameraOn) this.waitForKeyframe = true;
    this.cameraOn = on;
  }

  send(frame: IvfFrame, header: IvfHeader): void {
    if (!this.cameraOn) return;
    if (this.waitForKeyframe && !isVp8Keyframe(frame.data)) return;
    this.waitForKeyframe = false;
    this.size = { width: header.width, height: header.height };
    const timestamp = (this.timestampBase + Math.round((frame.pts * VIDEO_CLOCK * header.timebaseNum) / header.timebaseDen)) >>> 0;
    const payloads = packetizeVp8(frame.data, this.pictureId);
    payloads.forEach((payload, i) => {
      const header = new RtpHeader({ sequenceNumber: this.sequenceNumber, timestamp, marker: i === payloads.length - 1 });
      this.track.writeRtp(new RtpPacket(header, payload));
      this.sequenceNumber = (this.sequenceNumber + 1) & 0xffff;
    });
    this.pictureId = (this.pictureId + 1) & 0x7fff;
    this.frames++;
  }
}
