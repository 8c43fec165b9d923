// Where a call's outgoing picture comes from on a command line: ffmpeg's test pattern or a video
// file (looped), encoded by ffmpeg's libvpx for real-time use and handed to us as IVF on a pipe,
// one VP8 frame at a time, paced at the source's frame rate (-re).
import { accessSync, constants } from 'fs';
import { ClientError } from '../../network/errors';
import { probeMedia, spawnFfmpeg } from './ffmpeg';
import { IvfReader, type IvfFrame, type IvfHeader } from './ivf';

export const TEST_PATTERN = { width: 640, height: 360, fps: 15 };
/** A key frame at least this often, so a receiver that lost one (or just joined) recovers soon. */
const KEYFRAME_SECONDS = 2;
const VIDEO_BITRATE = '600k';

export type VideoInput = { kind: 'test-pattern'; width: number; height: number } | { kind: 'file'; path: string };

export interface VideoSource {
  close(): Promise<void>;
}

/** `test-pattern`, `test-pattern:<w>x<h>` or a file path, as given to --video. */
export function parseVideoInput(spec: string): VideoInput {
  const pattern = /^test-pattern(?::(\d+)x(\d+))?$/.exec(spec);
  if (pattern) {
    const width = pattern[1] ? Number(pattern[1]) : TEST_PATTERN.width;
    const height = pattern[2] ? Number(pattern[2]) : TEST_PATTERN.height;
    if (width < 16 || height < 16 || width > 1920 || height > 1080 || width % 2 || height % 2) {
      throw new ClientError('--video test-pattern:<w>x<h> needs even sizes from 16x16 to 1920x1080', 'input');
    }
    return { kind: 'test-pattern', width, height };
  }
  try {
    accessSync(spec, constants.R_OK);
  } catch {
    throw new ClientError(`cannot read ${spec}`, 'input');
  }
  return { kind: 'file', path: spec };
}

export async function checkVideoInput(input: VideoInput): Promise<void> {
  if (input.kind === 'file') await probeMedia(input.path, 'video');
}

/** Starts the encoder; `onFrame` gets every encoded frame with the stream's header. */
export function startVideoSource(input: VideoInput, onFrame: (frame: IvfFrame, header: IvfHeader) => void, onError: (err: Error) => void): VideoSource {
  const source =
    input.kind === 'test-pattern'
      ? ['-re', '-f', 'lavfi', '-i', `testsrc2=size=${input.width}x${input.height}:rate=${TEST_PATTERN.fps}`]
      : // Larger than 720p is scaled down (aspect kept); more than 30 frames a second are dropped.
        ['-re', '-stream_loop', '-1', '-i', input.path, '-an', '-vf', "scale='min(iw,1280)':'min(ih,720)':force_original_aspect_ratio=decrease", '-fpsmax', '30'];
  const ffmpeg = spawnFfmpeg(
    [
      ...source,
      ...['-c:v', 'libvpx', '-deadline', 'realtime', '-cpu-used', '8', '-b:v', VIDEO_BITRATE, '-error-resilient', '1'],
      ...['-auto-alt-ref', '0', '-lag-in-frames', '0', '-force_key_frames', `expr:gte(t,n_forced*${KEYFRAME_SECONDS})`],
      ...['-f', 'ivf', '-flush_packets', '1', 'pipe:1'],
    ],
    '--video',
  );
  let stopping = false;
  const reader = new IvfReader((frame) => onFrame(frame, reader.header!));
  ffmpeg.stdout.on('data', (chunk: Buffer) => {
    try {
      reader.push(chunk);
    } catch (err) {
      onError(err as Error);
    }
  });
  ffmpeg.exited.then(
    ({ code }) => !stopping && onError(new Error(`the video encoder stopped (${code}): ${ffmpeg.stderr()}`)),
    (err: Error) => onError(err),
  );
  return {
    close: () => {
      stopping = true;
      return ffmpeg.kill();
    },
  };
}
