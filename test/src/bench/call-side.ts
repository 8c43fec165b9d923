// One side of a call for the call-media benchmark, run as its own process (forked with IPC) so
// its CPU time is its own: a CallPeer with its media, signalled through the parent. It sends a
// click every CLICK_EVERY_MS (silence between) and the test pattern, records the peer's audio and
// video, and reports when each click left ("mouth") and each of the peer's clicks was decoded ("ear").
import { mkdtempSync, readFileSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { CallMedia, CallPeer, FRAME_MS, SAMPLE_RATE, type AudioSource, type IceServer, type SharedCandidate } from '@starling/client';

export const CLICK_EVERY_MS = 500;
/** A click is 1 ms at nearly full scale; anything this loud in the decoded sound is its onset. */
const CLICK_SAMPLES = 48;
const ONSET_LEVEL = 8000;
/** Opus rings after a click; a new onset is only counted this long after the last one. */
const REFRACTORY_MS = 200;

export type SideMessage =
  | { sdp: string }
  | { candidate: SharedCandidate }
  | { connected: true }
  | { mouthMs: number }
  | { earMs: number }
  | { done: { cpuSelfSeconds: number; cpuChildrenSeconds: number; callSeconds: number } };

export type ParentMessage = { start: { role: 'caller' | 'callee'; iceServers: IceServer[]; direct: boolean } } | { sdp: string } | { candidate: SharedCandidate } | { stop: true };

const send = (message: SideMessage) => process.send!(message);

/** utime+stime of this process and of its children that have exited (ffmpeg), in seconds. */
function cpuSeconds(): { self: number; children: number } {
  const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ');
  const ticks = (field: number) => Number(fields[field - 3]) / 100; // proc(5) numbers fields from 1; the split starts at field 3
  return { self: ticks(14) + ticks(15), children: ticks(16) + ticks(17) };
}

/** Silence with a click at the start of a frame every CLICK_EVERY_MS; reports when each leaves. */
function clickSource(): AudioSource {
  let frame = 0;
  const framesPerClick = CLICK_EVERY_MS / FRAME_MS;
  return {
    read(pcm) {
      pcm.fill(0);
      if (frame++ % framesPerClick === framesPerClick - 1) for (let i = 0; i < CLICK_SAMPLES; i++) pcm[i] = i % 2 ? -30000 : 30000;
    },
    close: async () => undefined,
  };
}

function start(role: 'caller' | 'callee', iceServers: IceServer[], direct: boolean): void {
  const recordDir = mkdtempSync(join(tmpdir(), 'starling-bench-call-'));
  const peer = new CallPeer({ iceServers, direct, onCandidate: (candidate) => send({ candidate }) });
  let lastOnsetMs = -Infinity;
  const media = new CallMedia(peer, {
    audio: clickSource(),
    video: { kind: 'test-pattern', width: 640, height: 360 },
    recordDir,
    // The frame was complete (its first sample "spoken" one frame earlier) when it went to the encoder.
    onAudioSent: (pcm, atMs) => pcm[0] !== 0 && send({ mouthMs: atMs - FRAME_MS }),
    onAudioReceived: (pcm, atMs) => {
      for (let i = 0; i < pcm.length; i++) {
        const at = atMs + (i / SAMPLE_RATE) * 1000;
        if (Math.abs(pcm[i]) > ONSET_LEVEL && at - lastOnsetMs > REFRACTORY_MS) send({ earMs: (lastOnsetMs = at) });
      }
    },
  });
  let connectedAt = 0;
  let cpuAtConnect = { self: 0, children: 0 };
  peer.onStateChange((state) => {
    if (state !== 'connected' || connectedAt) return;
    connectedAt = performance.now();
    cpuAtConnect = cpuSeconds();
    media.start();
    send({ connected: true });
  });
  const pending: SharedCandidate[] = [];
  let described = false;
  process.on('message', (message: ParentMessage) => {
    void (async () => {
      if ('sdp' in message) {
        if (role === 'caller') await peer.accept(message.sdp);
        else send({ sdp: await peer.answer(message.sdp) });
        described = true;
        for (const c of pending.splice(0)) await peer.addCandidate(c);
      } else if ('candidate' in message) {
        if (described) await peer.addCandidate(message.candidate);
        else pending.push(message.candidate);
      } else if ('stop' in message) {
        const callSeconds = (performance.now() - connectedAt) / 1000;
        await media.stop();
        await peer.close();
        const cpu = cpuSeconds();
        send({ done: { cpuSelfSeconds: cpu.self - cpuAtConnect.self, cpuChildrenSeconds: cpu.children - cpuAtConnect.children, callSeconds } });
        rmSync(recordDir, { recursive: true, force: true });
        setTimeout(() => process.exit(0), 100);
      }
    })();
  });
  if (role === 'caller') void peer.offer().then((sdp) => send({ sdp }));
}

if (require.main === module) {
  process.once('message', (message: ParentMessage) => {
    if (!('start' in message)) throw new Error('the first message must be start');
    start(message.start.role, message.start.iceServers, message.start.direct);
  });
}
