import { candidateType, shareableCandidate, shareableSdp } from './call-candidates';

const HOST = 'candidate:1 1 udp 2130706431 192.168.1.20 50000 typ host generation 0 ufrag ab';
const SRFLX = 'candidate:2 1 udp 1694498815 203.0.113.7 40000 typ srflx raddr 192.168.1.20 rport 50000 generation 0';
const RELAY = 'candidate:3 1 udp 16777215 198.51.100.9 49182 typ relay raddr 203.0.113.7 rport 40000 generation 0 ufrag ab';

describe('call candidates', () => {
  it('reads the candidate type', () => {
    expect([HOST, SRFLX, RELAY, 'candidate:x typ'].map(candidateType)).toEqual(['host', 'srflx', 'relay', undefined]);
  });

  it('shares only relay candidates in relay-only mode, without our own address', () => {
    expect(shareableCandidate(HOST, false)).toBeUndefined();
    expect(shareableCandidate(SRFLX, false)).toBeUndefined();
    const relay = shareableCandidate(RELAY, false)!;
    expect(relay).toBe('candidate:3 1 udp 16777215 198.51.100.9 49182 typ relay raddr 0.0.0.0 rport 0 generation 0 ufrag ab');
    expect(relay).not.toContain('203.0.113.7');
  });

  it('shares everything in direct mode', () => {
    expect([HOST, SRFLX, RELAY].map((c) => shareableCandidate(c, true))).toEqual([HOST, SRFLX, RELAY]);
    expect(shareableCandidate('garbage', true)).toBeUndefined();
  });

  it('strips candidates and addresses from an SDP', () => {
    const sdp = ['v=0', 'c=IN IP4 192.168.1.20', `a=${HOST}`, `a=${RELAY}`, 'a=end-of-candidates', 'a=rtcp:9 IN IP6 fe80::1', 'a=mid:0', ''].join('\r\n');
    expect(shareableSdp(sdp)).toBe(['v=0', 'c=IN IP4 0.0.0.0', 'a=rtcp:9 IN IP6 ::', 'a=mid:0', ''].join('\r\n'));
  });
});
