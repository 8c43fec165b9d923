// The figures a call shows once a second, taken from WebRTC statistics (werift's getStats, the
// W3C identifiers): round-trip time from RTCP receiver reports on what we send (remote-inbound-rtp),
// or from ICE consent checks (the nominated candidate pair) before any report came; packet loss of
// what we receive (inbound-rtp) and of what we send as the peer reports it.
export interface CallStats {
  rttMs?: number;
  /** Packets of the peer's media that never arrived, and the share of all expected. */
  packetsLost: number;
  lossPercent: number;
  /** The peer's latest report of how many of our packets it lost (RTCP fraction lost). */
  remoteLossPercent?: number;
  packetsReceived: number;
  packetsSent: number;
  bytesReceived: number;
  bytesSent: number;
}

type Stat = { type: string; [field: string]: unknown };

const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const sum = (stats: Stat[], field: string) => stats.reduce((total, s) => total + (num(s[field]) ?? 0), 0);

export function summarizeStats(report: Iterable<Stat>): CallStats {
  const all = [...report];
  const inbound = all.filter((s) => s.type === 'inbound-rtp');
  const outbound = all.filter((s) => s.type === 'outbound-rtp');
  const remoteInbound = all.filter((s) => s.type === 'remote-inbound-rtp');
  const pair = all.find((s) => s.type === 'candidate-pair' && s.nominated === true && num(s.currentRoundTripTime) !== undefined);
  const rtcpRtts = remoteInbound.map((s) => num(s.roundTripTime)).filter((v): v is number => v !== undefined);
  const rttSeconds = rtcpRtts.length > 0 ? Math.min(...rtcpRtts) : num(pair?.currentRoundTripTime);
  const packetsLost = Math.max(0, sum(inbound, 'packetsLost'));
  const packetsReceived = sum(inbound, 'packetsReceived');
  const expected = packetsLost + packetsReceived;
  const fractions = remoteInbound.map((s) => num(s.fractionLost)).filter((v): v is number => v !== undefined);
  return {
    rttMs: rttSeconds === undefined ? undefined : round(rttSeconds * 1000),
    packetsLost,
    lossPercent: expected === 0 ? 0 : round((100 * packetsLost) / expected),
    remoteLossPercent: fractions.length === 0 ? undefined : round(100 * Math.max(...fractions)),
    packetsReceived,
    packetsSent: sum(outbound, 'packetsSent'),
    bytesReceived: sum(inbound, 'bytesReceived'),
    bytesSent: sum(outbound, 'bytesSent'),
  };
}

const round = (v: number) => Math.round(v * 100) / 100;
