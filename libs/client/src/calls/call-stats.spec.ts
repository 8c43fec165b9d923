import { summarizeStats } from './call-stats';

describe('call statistics', () => {
  it('takes RTT from receiver reports, loss from what we received and what the peer reports', () => {
    const stats = summarizeStats([
      { type: 'inbound-rtp', kind: 'audio', packetsReceived: 190, packetsLost: 10, bytesReceived: 19_000 },
      { type: 'inbound-rtp', kind: 'video', packetsReceived: 300, packetsLost: 0, bytesReceived: 300_000 },
      { type: 'outbound-rtp', packetsSent: 250, bytesSent: 25_000 },
      { type: 'outbound-rtp', packetsSent: 100, bytesSent: 100_000 },
      { type: 'remote-inbound-rtp', roundTripTime: 0.0421, fractionLost: 0.02 },
      { type: 'remote-inbound-rtp', roundTripTime: 0.05, fractionLost: 0 },
      { type: 'candidate-pair', nominated: true, currentRoundTripTime: 0.9 },
    ]);
    expect(stats).toEqual({
      rttMs: 42.1,
      packetsLost: 10,
      lossPercent: 2,
      remoteLossPercent: 2,
      packetsReceived: 490,
      packetsSent: 350,
      bytesReceived: 319_000,
      bytesSent: 125_000,
    });
  });

  it('falls back to the ICE round trip before any report, and has no loss before any packet', () => {
    const stats = summarizeStats([
      { type: 'candidate-pair', nominated: false, currentRoundTripTime: 0.5 },
      { type: 'candidate-pair', nominated: true, currentRoundTripTime: 0.003 },
    ]);
    expect(stats).toMatchObject({ rttMs: 3, packetsLost: 0, lossPercent: 0, remoteLossPercent: undefined });
    expect(summarizeStats([]).rttMs).toBeUndefined();
  });
});
