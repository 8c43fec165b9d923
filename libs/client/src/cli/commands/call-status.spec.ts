import type { CallStatus } from '../../calls/call-session';
import { callStatusJson, callStatusLine, recordingJson, recordingLines } from './call-status';

const status: CallStatus = {
  state: 'connected',
  durationSeconds: 75.8,
  rttMs: 12.34,
  packetsLost: 3,
  lossPercent: 0.5,
  remoteLossPercent: 1.2,
  packetsReceived: 600,
  packetsSent: 610,
  bytesReceived: 1,
  bytesSent: 2,
  muted: true,
  camera: false,
  remoteCamera: false,
  audioFramesSent: 3790,
  videoFramesSent: 0,
  audioSecondsReceived: 74.26,
  videoFramesReceived: 0,
};

describe('call status', () => {
  it('reads as one line on a terminal', () => {
    expect(callStatusLine(status)).toBe('01:15  connected  rtt 12.3 ms  lost 3 (0.5%, 1.2% of ours)  [muted, camera off, their camera off]');
    expect(callStatusLine({ ...status, rttMs: undefined, remoteLossPercent: undefined, muted: false, camera: true, remoteCamera: undefined })).toBe('01:15  connected  rtt -  lost 3 (0.5%)');
  });

  it('is one JSON object under --json, with nulls for figures not known yet', () => {
    expect(callStatusJson(status)).toEqual({
      state: 'connected',
      duration_s: 75,
      rtt_ms: 12.34,
      packets_lost: 3,
      loss_pct: 0.5,
      remote_loss_pct: 1.2,
      packets_received: 600,
      packets_sent: 610,
      muted: true,
      camera: false,
      remote_camera: false,
      audio_frames_sent: 3790,
      video_frames_sent: 0,
      audio_received_s: 74.3,
      video_frames_received: 0,
    });
    expect(callStatusJson({ ...status, rttMs: undefined, remoteCamera: undefined })).toMatchObject({ rtt_ms: null, remote_camera: null });
  });

  it('says what was recorded', () => {
    const recording = { audio: { path: '/r/audio.wav', seconds: 5.04 }, video: { path: '/r/video.webm', frames: 75, width: 640, height: 360 } };
    expect(recordingJson(recording)).toEqual({ recorded: { audio: { path: '/r/audio.wav', seconds: 5 }, video: { path: '/r/video.webm', frames: 75, width: 640, height: 360 } } });
    expect(recordingLines(recording)).toBe('Recorded 5.0 s of their audio to /r/audio.wav\nRecorded 75 frames of their 640x360 video to /r/video.webm\n');
    expect(recordingLines({})).toBe('Nothing of theirs was recorded (no audio or video arrived)\n');
  });
});
