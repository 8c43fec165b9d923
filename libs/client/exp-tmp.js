const { RTCPeerConnection, MediaStreamTrack, useOPUS, useVP8, RtpPacket, RtpHeader } = require('werift');
const mk = () => new RTCPeerConnection({ iceServers: [], bundlePolicy: 'max-bundle', codecs: { audio: [useOPUS({ payloadType: 111, parameters: 'minptime=10;cbr=1' })], video: [useVP8({ payloadType: 96 })] } });
(async () => {
  const a = mk(), b = mk();
  const ta = new MediaStreamTrack({ kind: 'audio' });
  a.addTransceiver(ta, { direction: 'sendrecv' });
  a.addTransceiver(new MediaStreamTrack({ kind: 'video' }), { direction: 'sendrecv' });
  const dca = a.createDataChannel('session-datachannel', { negotiated: true, id: 548, ordered: true });
  a.onIceCandidate.subscribe((c) => c && b.addIceCandidate(c));
  b.onIceCandidate.subscribe((c) => c && a.addIceCandidate(c));
  await a.setLocalDescription(await a.createOffer());
  console.log(a.localDescription.sdp.split('\r\n').filter(l => /^m=|^a=rtpmap|^a=fmtp|^a=group|^a=mid|^a=extmap|^a=sctp/.test(l)).join('\n'));
  const tb = new MediaStreamTrack({ kind: 'audio' });
  b.onTrack.subscribe((t) => { console.log('b got track', t.kind); t.onReceiveRtp.subscribe((p) => console.log('b rtp', t.kind, p.header.payloadType, p.payload.length)); });
  await b.setRemoteDescription(a.localDescription);
  b.getTransceivers().forEach((tr) => { console.log('b transceiver', tr.kind, tr.direction); });
  const dcb = b.createDataChannel('session-datachannel', { negotiated: true, id: 548, ordered: true });
  b.getTransceivers()[0].sender.replaceTrack(tb);
  b.getTransceivers().forEach((tr) => tr.setDirection('sendrecv'));
  await b.setLocalDescription(await b.createAnswer());
  console.log('---answer'); console.log(b.localDescription.sdp.split('\r\n').filter(l => /^m=|^a=rtpmap|^a=fmtp|^a=group|^a=mid|^a=sendrecv|^a=recvonly|^a=sctp/.test(l)).join('\n'));
  await a.setRemoteDescription(b.localDescription);
  dcb.onMessage.subscribe((m) => console.log('b dc', m.toString()));
  dca.stateChanged.subscribe((s) => { console.log('dca', s); if (s === 'open') dca.send('{"video":false}'); });
  a.connectionStateChange.subscribe((s) => console.log('a', s));
  await new Promise((r) => a.connectionStateChange.subscribe((s) => s === 'connected' && r()));
  for (let i = 0; i < 3; i++) { ta.writeRtp(new RtpPacket(new RtpHeader({ sequenceNumber: i, timestamp: i * 960, payloadType: 0, marker: false }), Buffer.from([0xf8, 0xff, 0xfe]))); await new Promise(r => setTimeout(r, 20)); }
  setTimeout(async () => { const st = await a.getStats(); for (const s of st.values()) if (/rtp|pair/.test(s.type)) console.log(JSON.stringify(s).slice(0, 300)); await a.close(); await b.close(); }, 3000);
})();
