// Takes in the peer's video: frames are put back together from RTP (vp8-rtp.ts) and, when
// recording, piped to ffmpeg as IVF, which copies them into a WebM file without re-encoding.
// ffmpeg starts at the first key frame, whose header gives the picture's size.
import type { RtpPacket } from 'werift';
import { spawnFfmpeg, type FfmpegProcess } from './ffmpeg';
import { ivfFrame, ivfHeader } from './ivf';
import { vp8FrameSize, Vp8FrameAssembler, type Vp8Frame } from './vp8-rtp';

export interface VideoRecording {
  path: string;
  frames: number;
  width?: number;
  height?: number;
}

export class VideoRecorder {
  private ffmpeg?: FfmpegProcess;
  private firstTimestamp?: number;
  private readonly assembler: Vp8FrameAssembler;
  private size?: { width: number; height: number };
  /** Whole frames received (recorded, when there is a file). */
  frames = 0;

  /** Without a path, frames are only counted. */
  constructor(
    private readonly path: string | undefined,
    onKeyframeNeeded: () => void,
    private readonly onError: (err: Error) => void,
  ) {
    this.assembler = new Vp8FrameAssembler((frame) => this.write(frame), onKeyframeNeeded);
  }

  push(packet: RtpPacket): void {
    this.assembler.push(packet.header, packet.payload);
  }

  private write(frame: Vp8Frame): void {
    this.size ??= vp8FrameSize(frame.data);
    this.firstTimestamp ??= frame.timestamp;
    this.frames++;
    if (!this.path || !this.size) return;
    if (!this.ffmpeg) {
      this.ffmpeg = spawnFfmpeg(['-f', 'ivf', '-i', 'pipe:0', '-c:v', 'copy', '-f', 'webm', '-y', this.path], '--record');
      this.ffmpeg.exited.catch((err: Error) => this.onError(err));
      this.ffmpeg.stdin.write(ivfHeader({ ...this.size, timebaseDen: 90_000, timebaseNum: 1 }));
    }
    this.ffmpeg.stdin.write(ivfFrame({ data: frame.data, pts: (frame.timestamp - this.firstTimestamp) >>> 0 }));
  }

  /** Finishes the file (ffmpeg writes the WebM index at the end of its input). */
  async close(): Promise<VideoRecording | undefined> {
    if (!this.ffmpeg || !this.path) return undefined;
    await this.ffmpeg.finish();
    return { path: this.path, frames: this.frames, ...this.size };
  }
}
