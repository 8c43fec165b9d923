// A call's sound and picture on one side: what we send (a tone, a sound file, a test pattern or a
// video file; silence and no picture when none is given, as desktop starts with microphone and
// camera off) and what the peer sends (decoded and written to <dir>/audio.wav, and copied into
// <dir>/video.webm, when recording). Mute sends silence; camera-off sends no video and tells the
// peer with the apps' {"video":false} on the data channel.
import { join } from 'path';
import type { MediaStreamTrack } from 'werift';
import type { CallPeer } from '../call-peer';
import { videoControl } from '../call-controls';
import { SAMPLE_RATE, silenceSource, startAudioSource, type AudioInput, type AudioSource } from './audio-source';
import { OpusReceiver, OpusSender, opusCbrRequested } from './opus-audio';
import { startVideoSource, type VideoInput, type VideoSource } from './video-source';
import { VideoSender } from './video-sender';
import { VideoRecorder, type VideoRecording } from './video-recorder';
import { WavWriter } from './wav';

export const RECORDED_AUDIO_FILE = 'audio.wav';
export const RECORDED_VIDEO_FILE = 'video.webm';

export interface CallMediaOptions {
  /** What we say: a tone or file (--audio), or any source (a measurement's clicks). */
  audio?: AudioInput | AudioSource;
  /** What we show (--video); none: camera off. */
  video?: VideoInput;
  /** Where the peer's audio and video are written. */
  recordDir?: string;
  /** Each 20 ms of our sound as it goes to the encoder, with the time (ms since the epoch). */
  onAudioSent?: (pcm: Int16Array, atMs: number) => void;
  /** Each decoded piece of the peer's sound, with the time it was decoded. */
  onAudioReceived?: (pcm: Int16Array, atMs: number) => void;
  /** A media failure (encoder died, recorder could not write); the call itself goes on. */
  onError?: (err: Error) => void;
}

export interface MediaStatus {
  muted: boolean;
  camera: boolean;
  /** What the peer last said about its camera; undefined until it has. */
  remoteCamera?: boolean;
  audioFramesSent: number;
  videoFramesSent: number;
  audioSecondsReceived: number;
  videoFramesReceived: number;
}

export interface CallRecording {
  audio?: { path: string; seconds: number };
  video?: VideoRecording;
}

export class CallMedia {
  private muted: boolean;
  private camera: boolean;
  private remoteCamera?: boolean;
  private started = false;
  private stopped = false;
  private audioSender?: OpusSender;
  private videoSender?: VideoSender;
  private videoSource?: VideoSource;
  private readonly audioReceiver: OpusReceiver;
  private wav?: WavWriter;
  private samplesReceived = 0;
  private videoRecorder?: VideoRecorder;

  constructor(
    private readonly peer: CallPeer,
    private readonly options: CallMediaOptions = {},
  ) {
    this.muted = options.audio === undefined;
    this.camera = options.video !== undefined;
    this.audioReceiver = new OpusReceiver((pcm) => this.heard(pcm));
    peer.onRemoteTrack((track) => this.receive(track));
    peer.onControl((control) => {
      if (control.kind === 'video') this.remoteCamera = control.on;
    });
  }

  /** Once connected: starts sending and tells the peer whether our camera is on. */
  start(): void {
    if (this.started || this.stopped) return;
    this.started = true;
    const audio = this.options.audio;
    const source = audio === undefined ? silenceSource() : 'read' in audio ? audio : startAudioSource(audio);
    this.audioSender = new OpusSender(this.peer.audioTrack, source, { cbr: opusCbrRequested(this.peer.remoteSdp()), onFrame: this.options.onAudioSent });
    this.audioSender.muted = this.muted;
    this.audioSender.start();
    if (this.options.video) {
      const sender = (this.videoSender = new VideoSender(this.peer.videoTrack));
      sender.setCamera(this.camera);
      this.videoSource = startVideoSource(this.options.video, (frame, header) => sender.send(frame, header), (err) => this.fail(err));
    }
    void this.peer.sendControl(videoControl(this.camera));
  }

  setMuted(muted: boolean): void {
    this.muted = muted;
    if (this.audioSender) this.audioSender.muted = muted;
  }

  /** Camera on or off; only with a video source to show. */
  setCamera(on: boolean): void {
    if (on && !this.options.video) throw new Error('there is no video to show (start the call with --video)');
    this.camera = on;
    this.videoSender?.setCamera(on);
    if (this.started) void this.peer.sendControl(videoControl(on));
  }

  status(): MediaStatus {
    return {
      muted: this.muted,
      camera: this.camera,
      remoteCamera: this.remoteCamera,
      audioFramesSent: this.audioSender?.frames ?? 0,
      videoFramesSent: this.videoSender?.frames ?? 0,
      audioSecondsReceived: this.samplesReceived / SAMPLE_RATE,
      videoFramesReceived: this.videoRecorder?.frames ?? 0,
    };
  }

  private receive(track: MediaStreamTrack): void {
    if (track.kind === 'audio') {
      track.onReceiveRtp.subscribe((rtp) => this.audioReceiver.push(rtp));
    } else if (track.kind === 'video') {
      const dir = this.options.recordDir;
      const recorder = (this.videoRecorder = new VideoRecorder(dir ? join(dir, RECORDED_VIDEO_FILE) : undefined, () => this.peer.requestKeyframe(), (err) => this.fail(err)));
      track.onReceiveRtp.subscribe((rtp) => !this.stopped && recorder.push(rtp));
    }
  }

  private heard(pcm: Int16Array): void {
    if (this.stopped) return;
    this.samplesReceived += pcm.length;
    this.options.onAudioReceived?.(pcm, performance.timeOrigin + performance.now());
    if (!this.options.recordDir) return;
    try {
      this.wav ??= new WavWriter(join(this.options.recordDir, RECORDED_AUDIO_FILE), SAMPLE_RATE);
      this.wav.write(pcm);
    } catch (err) {
      this.fail(err as Error);
    }
  }

  private fail(err: Error): void {
    this.options.onError?.(err);
  }

  /** Stops sending, finishes the recordings and says what was written. */
  async stop(): Promise<CallRecording> {
    if (this.stopped) return {};
    this.stopped = true;
    await Promise.all([this.audioSender?.stop(), this.videoSource?.close()]);
    this.audioReceiver.close();
    const recording: CallRecording = {};
    if (this.wav) {
      this.wav.close();
      recording.audio = { path: this.wav.path, seconds: this.wav.seconds };
    }
    const video = await this.videoRecorder?.close();
    if (video?.path) recording.video = video;
    return recording;
  }
}
