// ffmpeg (Debian's package `ffmpeg`, built with libvpx and libopus) does the media work a call
// cannot do in process: decoding audio files, encoding VP8 and writing WebM. It talks to us
// through pipes only, so no local port is opened for media.
import { execFile, spawn, type ChildProcess } from 'child_process';
import type { Readable, Writable } from 'stream';
import { ClientError } from '../../network/errors';

/** How much of ffmpeg's stderr is kept for an error message. */
const STDERR_KEEP = 4000;
const STOP_GRACE_MS = 5000;

export interface FfmpegProcess {
  readonly stdout: Readable;
  readonly stdin: Writable;
  /** Resolves when ffmpeg exits; rejects with a ClientError if it could not start. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** The end of what ffmpeg printed on stderr (its error messages). */
  stderr(): string;
  /** Closes stdin (ffmpeg then finishes its output file) and waits; kills it if it lingers. */
  finish(): Promise<void>;
  /** Stops it at once (an encoder whose output nobody needs any more). */
  kill(): Promise<void>;
  readonly pid: number | undefined;
}

export function spawnFfmpeg(args: string[], what: string): FfmpegProcess {
  const child: ChildProcess = spawn('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-nostdin', ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr = (stderr + d.toString('utf8')).slice(-STDERR_KEEP)));
  // A closed pipe on our side (ffmpeg gone) must not become an uncaught error.
  child.stdin!.on('error', () => undefined);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve, reject) => {
    child.once('error', (err: NodeJS.ErrnoException) =>
      reject(new ClientError(err.code === 'ENOENT' ? `${what} needs ffmpeg, which is not installed (apt-get install ffmpeg)` : `${what}: ffmpeg did not start: ${err.message}`, 'input')),
    );
    child.once('exit', (code, signal) => resolve({ code, signal }));
  });
  exited.catch(() => undefined);
  const waitOrKill = async () => {
    const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
    await exited.catch(() => undefined);
    clearTimeout(timer);
  };
  return {
    stdout: child.stdout!,
    stdin: child.stdin!,
    exited,
    pid: child.pid,
    stderr: () => stderr.trim(),
    async finish() {
      child.stdin!.end();
      await waitOrKill();
    },
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await waitOrKill();
    },
  };
}

/** Checks that ffmpeg can decode a first `kind` frame of `path`; a clear input error otherwise. */
export async function probeMedia(path: string, kind: 'audio' | 'video'): Promise<void> {
  const stream = kind === 'audio' ? 'a' : 'v';
  const probe = spawnFfmpeg(['-i', path, '-map', `0:${stream}:0`, `-frames:${stream}`, '1', '-f', 'null', '-'], `--${kind}`);
  probe.stdin.end();
  const { code } = await probe.exited;
  if (code !== 0) throw new ClientError(`cannot read ${kind} from ${path}: ${probe.stderr().split('\n').pop() || `ffmpeg exited with ${code}`}`, 'input');
}

export interface VideoFileFacts {
  width: number;
  height: number;
  /** Frames ffmpeg decoded from the first video stream (every one, not the container's claim). */
  decodedFrames: number;
}

/** Decodes a video file whole with ffmpeg's ffprobe: its size and how many frames really decode. */
export async function inspectVideo(path: string): Promise<VideoFileFacts> {
  const stdout = await new Promise<string>((resolve, reject) =>
    execFile('ffprobe', ['-v', 'error', '-count_frames', '-select_streams', 'v:0', '-show_entries', 'stream=width,height,nb_read_frames', '-of', 'json', path], (err, out, errOut) =>
      err ? reject(new Error(`ffprobe ${path}: ${errOut || err.message}`)) : resolve(out),
    ),
  );
  const stream = (JSON.parse(stdout) as { streams?: { width?: number; height?: number; nb_read_frames?: string }[] }).streams?.[0];
  if (!stream) throw new Error(`${path} has no video stream`);
  return { width: Number(stream.width), height: Number(stream.height), decodedFrames: Number(stream.nb_read_frames) };
}
