// Where a call's outgoing sound comes from on a command line: a tone computed here, or a sound
// file decoded by ffmpeg (any format it reads, resampled to 48 kHz mono and looped). Either way
// the sender pulls 20 ms at a time, when it is due.
import { accessSync, constants } from 'fs';
import { ClientError } from '../../network/errors';
import { probeMedia, spawnFfmpeg, type FfmpegProcess } from './ffmpeg';

export const SAMPLE_RATE = 48_000;
/** One Opus frame: 20 ms at 48 kHz, mono. */
export const FRAME_SAMPLES = 960;
export const FRAME_MS = 20;
/** Decoded file audio kept ahead of the sender: between these, ffmpeg is paused and resumed. */
const FILE_BUFFER_HIGH = SAMPLE_RATE * 2;
const FILE_BUFFER_LOW = SAMPLE_RATE;

export type AudioInput = { kind: 'tone'; hz: number } | { kind: 'file'; path: string };

/** Whatever gives the next 20 ms of sound (mono, 48 kHz, 16-bit). */
export interface AudioSource {
  read(frame: Int16Array): void;
  close(): Promise<void>;
}

/** `tone:<hz>` or a file path, as given to --audio. */
export function parseAudioInput(spec: string): AudioInput {
  const tone = /^tone:(\d+(?:\.\d+)?)$/.exec(spec);
  if (tone) {
    const hz = Number(tone[1]);
    if (!(hz >= 20 && hz <= 20_000)) throw new ClientError('--audio tone:<hz> needs a frequency between 20 and 20000 Hz', 'input');
    return { kind: 'tone', hz };
  }
  if (spec.startsWith('tone:')) throw new ClientError('--audio tone:<hz> needs a number, e.g. tone:440', 'input');
  try {
    accessSync(spec, constants.R_OK);
  } catch {
    throw new ClientError(`cannot read ${spec}`, 'input');
  }
  return { kind: 'file', path: spec };
}

/** Before a call rings: a file must hold sound ffmpeg can decode. */
export async function checkAudioInput(input: AudioInput): Promise<void> {
  if (input.kind === 'file') await probeMedia(input.path, 'audio');
}

export function startAudioSource(input: AudioInput): AudioSource {
  return input.kind === 'tone' ? toneSource(input.hz) : fileSource(input.path);
}

/** A sine at half of full scale, its phase carried from frame to frame. */
export function toneSource(hz: number, amplitude = 0.5): AudioSource {
  let phase = 0;
  const step = (2 * Math.PI * hz) / SAMPLE_RATE;
  return {
    read(frame) {
      for (let i = 0; i < frame.length; i++) {
        frame[i] = Math.round(amplitude * 32767 * Math.sin(phase));
        phase += step;
        if (phase >= 2 * Math.PI) phase -= 2 * Math.PI;
      }
    },
    close: async () => undefined,
  };
}

/** ffmpeg decodes the file ahead of time (looped); frames it has not delivered yet are silence. */
function fileSource(path: string): AudioSource {
  const ffmpeg: FfmpegProcess = spawnFfmpeg(['-stream_loop', '-1', '-i', path, '-vn', '-f', 's16le', '-ac', '1', '-ar', String(SAMPLE_RATE), 'pipe:1'], '--audio');
  const chunks: Buffer[] = [];
  let buffered = 0; // samples
  let carry: Buffer | undefined; // an odd byte between chunks
  ffmpeg.stdout.on('data', (data: Buffer) => {
    const bytes = carry ? Buffer.concat([carry, data]) : data;
    const even = bytes.length - (bytes.length % 2);
    carry = even < bytes.length ? bytes.subarray(even) : undefined;
    chunks.push(bytes.subarray(0, even));
    buffered += even / 2;
    if (buffered > FILE_BUFFER_HIGH) ffmpeg.stdout.pause();
  });
  return {
    read(frame) {
      let filled = 0;
      while (filled < frame.length && chunks.length > 0) {
        const chunk = chunks[0];
        const take = Math.min(frame.length - filled, chunk.length / 2);
        for (let i = 0; i < take; i++) frame[filled + i] = chunk.readInt16LE(i * 2);
        filled += take;
        if (take * 2 === chunk.length) chunks.shift();
        else chunks[0] = chunk.subarray(take * 2);
      }
      frame.fill(0, filled);
      buffered -= filled;
      if (buffered < FILE_BUFFER_LOW) ffmpeg.stdout.resume();
    },
    close: () => ffmpeg.kill(),
  };
}

/** Nothing to say: what goes out when no --audio was given (desktop starts with its microphone off too). */
export function silenceSource(): AudioSource {
  return { read: (frame) => frame.fill(0), close: async () => undefined };
}
