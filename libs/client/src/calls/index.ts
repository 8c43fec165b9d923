// 1:1 calls (client.md 6): signalling as Session messages, WebRTC (werift) relayed through TURN,
// carrying Opus audio, VP8 video and the apps' data channel.
export { CALL_TTL_MS, OFFER_MAX_AGE_MS, CallSignaler, answeredElsewhere, checkCallable, isLiveOffer } from './call-signals';
export type { CallSignal } from './call-signals';
export { candidateType, shareableCandidate, shareableSdp } from './call-candidates';
export { CallPeer, DATA_CHANNEL_ID, DATA_CHANNEL_LABEL, OPUS_PAYLOAD_TYPE, VP8_PAYLOAD_TYPE } from './call-peer';
export type { CallChannel, IceServer, SharedCandidate } from './call-peer';
export { END_ACK, END_OF_STREAM, exchangeStreams } from './call-stream';
export type { ReceivedStream, StreamExchange } from './call-stream';
export { CallSession } from './call-session';
export type { CallState, CallSessionOptions, CallStatus } from './call-session';
export { HANGUP_CONTROL, readControl, videoControl } from './call-controls';
export type { CallControl } from './call-controls';
export { summarizeStats } from './call-stats';
export type { CallStats } from './call-stats';
// Media: Opus and VP8 on the call, sources, recordings.
export { CallMedia, RECORDED_AUDIO_FILE, RECORDED_VIDEO_FILE } from './media/call-media';
export type { CallMediaOptions, CallRecording, MediaStatus } from './media/call-media';
export { FRAME_MS, FRAME_SAMPLES, SAMPLE_RATE, parseAudioInput, toneSource } from './media/audio-source';
export type { AudioInput, AudioSource } from './media/audio-source';
export { parseVideoInput } from './media/video-source';
export type { VideoInput } from './media/video-source';
export { inspectVideo } from './media/ffmpeg';
export { analyseTone } from './media/spectrum';
export type { ToneAnalysis } from './media/spectrum';
export { readWav } from './media/wav';
export { fetchTurnServers } from './turn-credentials';
