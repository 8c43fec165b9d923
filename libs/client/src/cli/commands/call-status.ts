// How a call's once-a-second status reads: one line for a person on a terminal, or one JSON
// object per line under --json (snake_case, as every other JSON the command line prints).
import type { CallStatus } from '../../calls/call-session';
import type { CallRecording } from '../../calls/media/call-media';

export function callStatusJson(status: CallStatus): Record<string, unknown> {
  return {
    state: status.state,
    duration_s: Math.floor(status.durationSeconds),
    rtt_ms: status.rttMs ?? null,
    packets_lost: status.packetsLost,
    loss_pct: status.lossPercent,
    remote_loss_pct: status.remoteLossPercent ?? null,
    packets_received: status.packetsReceived,
    packets_sent: status.packetsSent,
    muted: status.muted,
    camera: status.camera,
    remote_camera: status.remoteCamera ?? null,
    audio_frames_sent: status.audioFramesSent,
    video_frames_sent: status.videoFramesSent,
    audio_received_s: Math.round(status.audioSecondsReceived * 10) / 10,
    video_frames_received: status.videoFramesReceived,
  };
}

export function callStatusLine(status: CallStatus): string {
  const seconds = Math.floor(status.durationSeconds);
  const clock = `${String(Math.floor(seconds / 60)).padStart(2, '0')}:${String(seconds % 60).padStart(2, '0')}`;
  const rtt = status.rttMs === undefined ? 'rtt -' : `rtt ${status.rttMs.toFixed(1)} ms`;
  const out = status.remoteLossPercent === undefined ? '' : `, ${status.remoteLossPercent.toFixed(1)}% of ours`;
  const flags = [status.muted && 'muted', !status.camera && 'camera off', status.remoteCamera === false && 'their camera off'].filter(Boolean);
  return `${clock}  ${status.state}  ${rtt}  lost ${status.packetsLost} (${status.lossPercent.toFixed(1)}%${out})${flags.length ? `  [${flags.join(', ')}]` : ''}`;
}

export function recordingJson(recording: CallRecording): Record<string, unknown> {
  return {
    recorded: {
      ...(recording.audio ? { audio: { path: recording.audio.path, seconds: Math.round(recording.audio.seconds * 10) / 10 } } : {}),
      ...(recording.video ? { video: { path: recording.video.path, frames: recording.video.frames, width: recording.video.width, height: recording.video.height } } : {}),
    },
  };
}

export function recordingLines(recording: CallRecording): string {
  const lines: string[] = [];
  if (recording.audio) lines.push(`Recorded ${recording.audio.seconds.toFixed(1)} s of their audio to ${recording.audio.path}`);
  if (recording.video) lines.push(`Recorded ${recording.video.frames} frames of their ${recording.video.width}x${recording.video.height} video to ${recording.video.path}`);
  if (lines.length === 0) lines.push('Nothing of theirs was recorded (no audio or video arrived)');
  return lines.map((l) => l + '\n').join('');
}
