// 1:1 calls (client.md 6): signalling as Session messages, WebRTC (werift) relayed through TURN.
export { CALL_TTL_MS, OFFER_MAX_AGE_MS, CallSignaler, answeredElsewhere, checkCallable, isLiveOffer } from './call-signals';
export type { CallSignal } from './call-signals';
export { candidateType, shareableCandidate, shareableSdp } from './call-candidates';
export { CallPeer, DATA_CHANNEL_LABEL } from './call-peer';
export type { CallChannel, IceServer, SharedCandidate } from './call-peer';
export { END_ACK, END_OF_STREAM, exchangeStreams } from './call-stream';
export type { ReceivedStream, StreamExchange } from './call-stream';
export { CallSession } from './call-session';
export type { CallState, CallSessionOptions } from './call-session';
export { fetchTurnServers } from './turn-credentials';
