// What a peer may learn about us from ICE (client.md 6 names the weakness: Session exchanges
// host and server-reflexive candidates, so the peer sees our address). Relay-only calls send
// nothing but relay candidates, with the related address (our own address as the TURN server
// saw it) blanked, and SDPs without any candidate or connection address.

export type CandidateType = 'host' | 'srflx' | 'prflx' | 'relay';

/** The `typ` of one candidate line ("candidate:… typ relay raddr …"), or undefined if malformed. */
export function candidateType(line: string): CandidateType | undefined {
  const match = / typ (host|srflx|prflx|relay)(?: |$)/.exec(line);
  return match ? (match[1] as CandidateType) : undefined;
}

/**
 * The candidate line we are willing to send, or undefined to keep it to ourselves. Relay-only:
 * relay candidates only, raddr/rport replaced by 0.0.0.0/0 (what browsers send when they hide it).
 */
export function shareableCandidate(line: string, direct: boolean): string | undefined {
  const type = candidateType(line);
  if (type === undefined) return undefined;
  if (direct) return line;
  if (type !== 'relay') return undefined;
  return line.replace(/ raddr \S+ rport \d+/, ' raddr 0.0.0.0 rport 0');
}

/** An SDP to send: candidates travel separately (ICE_CANDIDATES), addresses are blanked. */
export function shareableSdp(sdp: string): string {
  return sdp
    .split(/\r\n/)
    .filter((line) => !line.startsWith('a=candidate:') && line !== 'a=end-of-candidates')
    .map((line) => line.replace(/^c=IN IP([46]) \S+$/, (_m, v: string) => `c=IN IP${v} ${v === '6' ? '::' : '0.0.0.0'}`))
    .map((line) => line.replace(/^a=rtcp:(\d+) IN IP([46]) \S+$/, (_m, port: string, v: string) => `a=rtcp:${port} IN IP${v} ${v === '6' ? '::' : '0.0.0.0'}`))
    .join('\r\n');
}
