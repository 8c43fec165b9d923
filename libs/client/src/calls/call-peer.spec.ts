// Our peer against SDPs shaped as Session desktop's (desktop-sdp.fixture.ts): a desktop offer is
// answered with Opus, VP8 and the data channel on the same m-lines, and a desktop answer to our
// offer is taken, revealing both of its tracks.
import { CallPeer } from './call-peer';
import { DESKTOP_ANSWER, DESKTOP_OFFER } from './desktop-sdp.fixture';
import { opusCbrRequested } from './media/opus-audio';

const peers: CallPeer[] = [];
afterAll(async () => {
  for (const p of peers) await p.close();
});

function peer(): CallPeer {
  const p = new CallPeer({ iceServers: [], direct: true, onCandidate: () => undefined });
  peers.push(p);
  return p;
}

/** The m-line, mid, direction and codec lines of each media section. */
function sections(sdp: string) {
  return sdp
    .split(/\r?\n(?=m=)/)
    .slice(1)
    .map((section) => {
      const lines = section.split(/\r?\n/);
      return {
        m: lines[0],
        mid: lines.find((l) => l.startsWith('a=mid:')),
        direction: lines.find((l) => /^a=(sendrecv|sendonly|recvonly|inactive)$/.test(l)),
        rtpmaps: lines.filter((l) => l.startsWith('a=rtpmap:')),
      };
    });
}

it('answers a desktop offer with Opus 111, VP8 96 and the data channel, sending and receiving both', async () => {
  const callee = peer();
  const tracks: string[] = [];
  callee.onRemoteTrack((t) => tracks.push(t.kind));
  const answer = await callee.answer(DESKTOP_OFFER);
  expect(sections(answer)).toEqual([
    { m: 'm=audio 9 UDP/TLS/RTP/SAVPF 111', mid: 'a=mid:0', direction: 'a=sendrecv', rtpmaps: ['a=rtpmap:111 opus/48000/2'] },
    { m: 'm=video 9 UDP/TLS/RTP/SAVPF 96', mid: 'a=mid:1', direction: 'a=sendrecv', rtpmaps: ['a=rtpmap:96 VP8/90000'] },
    { m: 'm=application 9 UDP/DTLS/SCTP webrtc-datachannel', mid: 'a=mid:2', direction: undefined, rtpmaps: [] },
  ]);
  expect(answer).toContain('a=group:BUNDLE 0 1 2');
  expect(answer).not.toMatch(/a=candidate|c=IN IP4 (?!0\.0\.0\.0)/);
  expect(tracks.sort()).toEqual(['audio', 'video']);
  // Desktop asks for constant bitrate; our Opus sender honours it.
  expect(opusCbrRequested(callee.remoteSdp())).toBe(true);
});

it('takes a desktop answer to our offer', async () => {
  const caller = peer();
  const tracks: string[] = [];
  caller.onRemoteTrack((t) => tracks.push(t.kind));
  await caller.offer();
  await caller.accept(DESKTOP_ANSWER);
  expect(tracks.sort()).toEqual(['audio', 'video']);
  expect(opusCbrRequested(caller.remoteSdp())).toBe(false);
});
