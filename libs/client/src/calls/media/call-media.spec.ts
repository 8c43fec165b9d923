// Sound and picture between two real werift peers on loopback (direct, no TURN: the relay is
// the whole-network test's job): tones and test patterns both ways at once, recorded and checked
// by decoding; mute, camera-off and hang-up as the apps signal them.
import { mkdtempSync, readFileSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { eventually } from '@starling/platform';
import { CallPeer, type SharedCandidate } from '../call-peer';
import { HANGUP_CONTROL, type CallControl } from '../call-controls';
import { CallMedia, RECORDED_AUDIO_FILE, RECORDED_VIDEO_FILE, type CallMediaOptions } from './call-media';
import { inspectVideo } from './ffmpeg';
import { analyseTone } from './spectrum';
import { readWav } from './wav';

const dirs: string[] = [];
const peers: CallPeer[] = [];
const medias: CallMedia[] = [];

afterAll(async () => {
  for (const m of medias) await m.stop();
  for (const p of peers) await p.close();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function recordDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'starling-call-media-'));
  dirs.push(dir);
  return dir;
}

/** Two peers connected directly, each with its media; candidates are held until both descriptions are set. */
async function connectedPair(callerMedia: CallMediaOptions, calleeMedia: CallMediaOptions) {
  const pending: [SharedCandidate[], SharedCandidate[]] = [[], []];
  let described = false;
  const deliver = (to: () => CallPeer, queue: SharedCandidate[]) => (c: SharedCandidate) => (described ? void to().addCandidate(c) : queue.push(c));
  const caller: CallPeer = new CallPeer({ iceServers: [], direct: true, onCandidate: deliver(() => callee, pending[0]) });
  const callee: CallPeer = new CallPeer({ iceServers: [], direct: true, onCandidate: deliver(() => caller, pending[1]) });
  peers.push(caller, callee);
  const media = [new CallMedia(caller, callerMedia), new CallMedia(callee, calleeMedia)] as const;
  medias.push(...media);
  const connected = [caller, callee].map((peer, i) => new Promise<void>((resolve) => peer.onStateChange((s) => s === 'connected' && (media[i].start(), resolve()))));
  const controls: [CallControl[], CallControl[]] = [[], []];
  caller.onControl((c) => controls[0].push(c));
  callee.onControl((c) => controls[1].push(c));
  const offer = await caller.offer();
  await caller.accept(await callee.answer(offer));
  described = true;
  for (const c of pending[0].splice(0)) await callee.addCandidate(c);
  for (const c of pending[1].splice(0)) await caller.addCandidate(c);
  await Promise.all(connected);
  return { caller, callee, media, controls, offer };
}

const rms = (samples: Int16Array) => Math.sqrt(samples.reduce((sum, v) => sum + v * v, 0) / Math.max(1, samples.length));

it('offers audio, video and the data channel the way Session desktop does', async () => {
  const { offer } = await connectedPair({}, {});
  const mLines = offer.split('\r\n').filter((l) => l.startsWith('m='));
  expect(mLines.map((l) => l.split(' ')[0])).toEqual(['m=audio', 'm=video', 'm=application']);
  expect(mLines[0]).toMatch(/ 111$/);
  expect(offer).toContain('a=rtpmap:111 OPUS/48000/2');
  expect(offer).toContain('a=fmtp:111 minptime=10;cbr=1');
  expect(offer).toContain('a=rtpmap:96 VP8/90000');
  expect(offer).toContain('a=group:BUNDLE 0 1 2');
  expect(offer).not.toMatch(/a=candidate/);
});

it('carries a tone and a test pattern each way at once, recorded as WAV and WebM', async () => {
  const [aliceDir, bobDir] = [recordDir(), recordDir()];
  const { media } = await connectedPair(
    { audio: { kind: 'tone', hz: 440 }, video: { kind: 'test-pattern', width: 320, height: 240 }, recordDir: aliceDir },
    { audio: { kind: 'tone', hz: 660 }, video: { kind: 'test-pattern', width: 176, height: 144 }, recordDir: bobDir },
  );
  await eventually(() => {
    for (const m of media) {
      expect(m.status().audioSecondsReceived).toBeGreaterThanOrEqual(3);
      expect(m.status().videoFramesReceived).toBeGreaterThanOrEqual(20);
    }
  }, { timeoutMs: 30_000, intervalMs: 200 });
  const [atAlice, atBob] = await Promise.all(media.map((m) => m.stop()));

  const bobHeard = readWav(readFileSync(join(bobDir, RECORDED_AUDIO_FILE)));
  expect(bobHeard.sampleRate).toBe(48_000);
  const fromAlice = analyseTone(bobHeard.samples, bobHeard.sampleRate);
  expect(Math.abs(fromAlice.hz - 440)).toBeLessThanOrEqual(5);
  expect(fromAlice.snrDb).toBeGreaterThan(20);
  const aliceHeard = readWav(readFileSync(join(aliceDir, RECORDED_AUDIO_FILE)));
  expect(Math.abs(analyseTone(aliceHeard.samples, aliceHeard.sampleRate).hz - 660)).toBeLessThanOrEqual(5);
  expect(atBob.audio!.seconds).toBeGreaterThanOrEqual(3);

  const bobSaw = await inspectVideo(join(bobDir, RECORDED_VIDEO_FILE));
  expect([bobSaw.width, bobSaw.height]).toEqual([320, 240]);
  expect(bobSaw.decodedFrames).toBeGreaterThanOrEqual(20);
  expect(atBob.video).toMatchObject({ width: 320, height: 240 });
  const aliceSaw = await inspectVideo(join(aliceDir, RECORDED_VIDEO_FILE));
  expect([aliceSaw.width, aliceSaw.height]).toEqual([176, 144]);
  expect(atAlice.video!.frames).toBeGreaterThanOrEqual(20);
}, 60_000);

it('mute sends silence, camera-off stops the picture and says so, hang-up travels on the channel', async () => {
  const heard: Int16Array[] = [];
  const { caller, media, controls } = await connectedPair(
    { audio: { kind: 'tone', hz: 440 }, video: { kind: 'test-pattern', width: 160, height: 120 } },
    { onAudioReceived: (pcm) => heard.push(pcm) },
  );
  const [alice, bob] = media;
  await eventually(() => {
    expect(bob.status().remoteCamera).toBe(true);
    expect(bob.status().videoFramesReceived).toBeGreaterThan(5);
    expect(rms(heard.at(-1)!)).toBeGreaterThan(5000);
  }, { timeoutMs: 20_000, intervalMs: 100 });

  alice.setMuted(true);
  alice.setCamera(false);
  await eventually(() => expect(bob.status().remoteCamera).toBe(false), { timeoutMs: 10_000, intervalMs: 50 });
  // Once the frames in flight have arrived, nothing more comes while the camera is off.
  const muteFrom = heard.length;
  await eventually(() => expect(heard.length - muteFrom).toBeGreaterThan(50), { timeoutMs: 10_000, intervalMs: 100 });
  const framesWhileOff = bob.status().videoFramesReceived;
  await eventually(() => expect(heard.length - muteFrom).toBeGreaterThan(100), { timeoutMs: 10_000, intervalMs: 100 });
  expect(bob.status().videoFramesReceived).toBe(framesWhileOff);
  expect(rms(Int16Array.from(heard.slice(muteFrom + 25).flatMap((f) => [...f])))).toBeLessThan(50);

  alice.setMuted(false);
  alice.setCamera(true);
  await eventually(() => {
    expect(bob.status().remoteCamera).toBe(true);
    expect(bob.status().videoFramesReceived).toBeGreaterThan(framesWhileOff);
    expect(rms(heard.at(-1)!)).toBeGreaterThan(5000);
  }, { timeoutMs: 20_000, intervalMs: 100 });

  await caller.sendControlNow(HANGUP_CONTROL);
  await eventually(() => expect(controls[1]).toContainEqual({ kind: 'hangup' }), { timeoutMs: 10_000, intervalMs: 50 });
}, 60_000);
