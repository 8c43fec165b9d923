// 1:1 calls through the whole local network (client.md 6, issue 8): signalling as sealed Session
// messages through onion paths, TURN credentials fetched from the file server through an onion
// path, and the media (a data channel of known bytes) relayed by a coturn started here. Relay-only:
// no host or server-reflexive candidate ever leaves a device, so neither peer learns the other's
// address. Also: an expired offer does not ring, a blocked caller cannot ring, either side's
// hang-up ends both, a second device of the callee learns the call was answered, no group calls;
// and the same through `starling call` / `starling answer`. Then sound and picture (issue 20): the
// command line in its own processes sends tones and test patterns both ways at once through
// coturn, records the other side, and the recordings are decoded and measured.
import { createHash } from 'crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import {
  AccountStore,
  analyseTone,
  CALL_TTL_MS,
  CALL_TYPE,
  CallSession,
  CallSignaler,
  answeredElsewhere,
  candidateType,
  editContact,
  encodeMessage,
  EXIT_CODES,
  fetchTurnServers,
  Inbox,
  inspectVideo,
  isLiveOffer,
  parseFileServer,
  readWav,
  RECORDED_AUDIO_FILE,
  RECORDED_VIDEO_FILE,
  runCli,
  StarlingNetwork,
  storeToInbox,
  type CallSignal,
  type FileServer,
  type IceServer,
} from '@starling/client';
import { generateIdentity, ready } from '@starling/crypto';
import { eventually, uniqueName } from '@starling/platform';
import { dropDevnetSchemas, edgeServices, startDevnet, startTurnServer, type Devnet, type EdgeDirectory, type TurnServer } from '../src/devnet';
import { startStarling, udpPortsOf, type StarlingProcess } from '../src/support/starling-process';

let devnet: Devnet;
let turn: TurnServer;
let fileServer: FileServer;
const schemaPrefix = uniqueName('calls');
const folders: string[] = [];
const networks: StarlingNetwork[] = [];
const sessions: CallSession[] = [];

type Device = Awaited<ReturnType<typeof device>>;

async function device(seed: Uint8Array = generateIdentity().seed16) {
  const home = mkdtempSync(join(tmpdir(), 'starling-call-device-'));
  folders.push(home);
  const store = new AccountStore(home);
  const identity = store.createIdentity(seed);
  const network = await StarlingNetwork.connect({ seedUrl: devnet.seedUrl, sessionId: identity.sessionId, timeoutMs: 30_000 });
  networks.push(network);
  return { seed, store, identity, network, signaler: new CallSignaler(store, network.swarm), inbox: new Inbox(store, network.swarm), signals: [] as CallSignal[] };
}

/** One poll; call signals are kept on the device (in order) and handed to its sessions. */
async function poll(d: Device, ...live: CallSession[]) {
  const result = await d.inbox.poll();
  d.signals.push(...result.calls);
  for (const signal of result.calls) for (const s of live) await s.handle(signal);
  return result;
}

/** Polls both devices (feeding their sessions) until `done` holds. */
async function pumpUntil(pairs: [Device, CallSession][], done: () => boolean | Promise<boolean>, timeoutMs = 60_000) {
  await eventually(async () => {
    for (const [d, s] of pairs) await poll(d, s);
    if (!(await done())) throw new Error('not yet');
  }, { timeoutMs, intervalMs: 100 });
}

async function iceServers(d: Device): Promise<IceServer[]> {
  return fetchTurnServers(d.network.onion, fileServer);
}

function track(session: CallSession): CallSession {
  sessions.push(session);
  return session;
}

beforeAll(async () => {
  await ready();
  turn = await startTurnServer();
  const directory: EdgeDirectory = {};
  devnet = await startDevnet({
    dataDir: mkdtempSync(join(tmpdir(), 'starling-calls-net-')),
    storeNodes: 4,
    fastTimings: true,
    databaseUrl: process.env.DATABASE_URL,
    schemaPrefix,
    extraServices: edgeServices(
      { relays: 4, fileServer: true, community: false, fileServerEnv: { FILE_SERVER_TURN_SECRET: turn.secret, FILE_SERVER_TURN_URIS: turn.uris.join(',') } },
      directory,
    ),
  });
  await eventually(async () => {
    const relays = (await devnet.networkMap()).nodes.filter((n) => n.role === 2);
    expect(relays).toHaveLength(4);
  }, 60_000);
  fileServer = parseFileServer(directory.fileServer!.url, directory.fileServer!.pubkey);
}, 300_000);

afterAll(async () => {
  for (const s of sessions) await s.hangUp().catch(() => undefined);
  await devnet?.stop();
  await turn?.stop();
  for (const f of folders) rmSync(f, { recursive: true, force: true });
  if (devnet) rmSync(devnet.dataDir, { recursive: true, force: true });
  await dropDevnetSchemas(process.env.DATABASE_URL, schemaPrefix);
});

/** `count` chunks of a pattern only this sender produces. */
function knownChunks(tag: number, count: number): Buffer[] {
  return Array.from({ length: count }, (_, i) => Buffer.alloc(1000, (tag * 31 + i) & 0xff));
}

/** The state-change lines of a call's --json output (the once-a-second lines carry duration_s). */
const stateChanges = (lines: Record<string, unknown>[]) => lines.filter((l) => l.state !== undefined && l.duration_s === undefined).map((l) => l.state);

const sha256 = (chunks: Buffer[]) => createHash('sha256').update(Buffer.concat(chunks)).digest('hex');

it('Alice calls Bob, Bob answers, both exchange known bytes through the TURN relay; relay candidates only', async () => {
  const alice = await device();
  const bob = await device();
  const bobLaptop = await device(bob.seed);
  const caller = track(await CallSession.call(alice.signaler, bob.identity.sessionId, { iceServers: await iceServers(alice) }));

  // Both of Bob's devices ring.
  for (const d of [bob, bobLaptop]) {
    await eventually(async () => {
      await poll(d);
      expect(d.signals.some((s) => s.call.uuid === caller.uuid && isLiveOffer(s, d.network.clock.now()))).toBe(true);
    }, 30_000);
  }
  const offer = bob.signals.find((s) => s.call.uuid === caller.uuid && s.call.type === CALL_TYPE.OFFER)!;
  expect(bob.signals.find((s) => s.call.uuid === caller.uuid)!.call.type).toBe(CALL_TYPE.PRE_OFFER);
  expect(offer.peer).toBe(alice.identity.sessionId);
  expect(offer.call.sdps![0]).not.toMatch(/a=candidate/);

  const callee = track(await CallSession.answer(bob.signaler, offer, bob.network.clock.now(), { iceServers: await iceServers(bob) }, bob.signals));
  let bobChannelOpen = false;
  let aliceChannelOpen = false;
  void callee.channel().then(() => (bobChannelOpen = true));
  void caller.channel().then(() => (aliceChannelOpen = true));
  await pumpUntil([[alice, caller], [bob, callee]], () => aliceChannelOpen && bobChannelOpen);
  expect([caller.currentState, callee.currentState]).toEqual(['connected', 'connected']);

  // Every candidate that left either device, and every one that arrived, is a relay candidate
  // with the related address blanked.
  const arrived = [...alice.signals, ...bob.signals].filter((s) => s.call.type === CALL_TYPE.ICE_CANDIDATES).flatMap((s) => s.call.sdps ?? []);
  for (const line of [...caller.sentCandidates, ...callee.sentCandidates, ...arrived]) {
    expect(candidateType(line)).toBe('relay');
    expect(line).toContain('raddr 0.0.0.0 rport 0');
  }
  expect(caller.sentCandidates.length).toBeGreaterThan(0);
  expect(callee.sentCandidates.length).toBeGreaterThan(0);
  expect(arrived.length).toBeGreaterThanOrEqual(2);
  expect(turn.log()).toMatch(/ALLOCATE processed, success/);

  // Both directions: 200 kB of known bytes each way, checked whole on arrival.
  const [aChannel, bChannel] = await Promise.all([caller.channel(), callee.channel()]);
  const fromAlice = knownChunks(1, 200);
  const fromBob = knownChunks(2, 200);
  const received = (channel: typeof aChannel, bytes: number) =>
    new Promise<Buffer[]>((resolve) => {
      const got: Buffer[] = [];
      let total = 0;
      channel.onMessage((data) => {
        got.push(Buffer.from(data as Buffer));
        total += (data as Buffer).length;
        if (total >= bytes) resolve(got);
      });
    });
  const atBob = received(bChannel, 200_000);
  const atAlice = received(aChannel, 200_000);
  for (const chunk of fromAlice) aChannel.send(chunk);
  for (const chunk of fromBob) bChannel.send(chunk);
  expect(sha256(await atBob)).toBe(sha256(fromAlice));
  expect(sha256(await atAlice)).toBe(sha256(fromBob));

  // Bob's laptop learns from the synced ANSWER that the call was answered elsewhere.
  await eventually(async () => {
    await poll(bobLaptop);
    expect(bobLaptop.signals.some((s) => answeredElsewhere(s, caller.uuid))).toBe(true);
  }, 30_000);

  // Alice hangs up: Bob's side ends from her END_CALL.
  await caller.hangUp();
  await pumpUntil([[bob, callee]], () => callee.currentState === 'ended', 30_000);
  expect(await callee.ended).toBe('the other side hung up');
  expect(await caller.ended).toBe('hung up');
});

it('the callee hanging up ends the caller’s side too', async () => {
  const alice = await device();
  const bob = await device();
  const caller = track(await CallSession.call(alice.signaler, bob.identity.sessionId, { iceServers: await iceServers(alice) }));
  let offer: CallSignal | undefined;
  await eventually(async () => {
    await poll(bob);
    offer = bob.signals.find((s) => s.call.type === CALL_TYPE.OFFER && s.call.uuid === caller.uuid);
    expect(offer).toBeDefined();
  }, 30_000);
  const callee = track(await CallSession.answer(bob.signaler, offer!, bob.network.clock.now(), { iceServers: await iceServers(bob) }));
  await callee.hangUp();
  await pumpUntil([[alice, caller]], () => caller.currentState === 'ended', 30_000);
  expect(await caller.ended).toBe('the other side hung up');
});

it('an offer older than 5 minutes does not ring', async () => {
  const alice = await device();
  const bob = await device();
  // A genuine, signed offer whose signed time is 6 minutes ago, stored now.
  const sentAtMs = alice.network.clock.now() - 6 * 60_000;
  const data = encodeMessage(alice.identity.ed25519.secretKey, bob.identity.sessionId, { callMessage: { type: CALL_TYPE.OFFER, uuid: 'stale-call', sdps: ['v=0\r\n'] } }, sentAtMs);
  await alice.network.swarm.request(bob.identity.sessionId, 'store', () => storeToInbox(bob.identity.sessionId, 0, alice.network.clock.now(), CALL_TTL_MS, data));
  let stale: CallSignal | undefined;
  await eventually(async () => {
    await poll(bob);
    stale = bob.signals.find((s) => s.call.uuid === 'stale-call');
    expect(stale).toBeDefined();
  }, 30_000);
  expect(stale!.sentAtMs).toBe(sentAtMs);
  expect(isLiveOffer(stale!, bob.network.clock.now())).toBe(false);
  await expect(CallSession.answer(bob.signaler, stale!, bob.network.clock.now(), { iceServers: await iceServers(bob) })).rejects.toThrow('expired');
});

it('a blocked caller cannot ring', async () => {
  const bob = await device();
  const carol = await device();
  bob.store.updateState((s) => editContact(s, carol.identity.sessionId, (c) => (c.blocked = true), Date.now()));
  await bob.inbox.poll();
  const call = track(await CallSession.call(carol.signaler, bob.identity.sessionId, { iceServers: await iceServers(carol) }));
  let blocked = 0;
  await eventually(async () => {
    const result = await poll(bob);
    blocked += result.blocked;
    expect(result.calls).toEqual([]);
    expect(blocked).toBeGreaterThanOrEqual(2); // PRE_OFFER and OFFER at least, dropped unread
  }, 30_000);
  expect(bob.signals.some((s) => s.call.uuid === call.uuid)).toBe(false);
});

it('a call addressed to a group is refused', async () => {
  const alice = await device();
  await expect(CallSession.call(alice.signaler, '03' + 'ab'.repeat(32), { iceServers: await iceServers(alice) })).rejects.toThrow('group calls are not supported');
});

let cliDir: string | undefined;
function cliFolder(): string {
  if (!cliDir) folders.push((cliDir = mkdtempSync(join(tmpdir(), 'starling-call-cli-'))));
  return cliDir;
}

/** The global options every command needs on this network. */
function globalOptions(home: string): string[] {
  return ['--home', home, '--seed-url', devnet.seedUrl, '--file-server', fileServer.url, '--file-server-key', fileServer.key];
}

async function cli(home: string, ...argv: string[]) {
  let out = '';
  let err = '';
  const code = await runCli([...globalOptions(home), ...argv], { out: (t) => (out += t), err: (t) => (err += t) }, { env: {} });
  return { code, out, err, lines: () => out.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>) };
}

async function account(name: string): Promise<{ home: string; sessionId: string }> {
  const home = join(cliFolder(), `${name}-home`);
  const created = await cli(home, 'init', '--json');
  expect(created.code).toBe(0);
  return { home, sessionId: JSON.parse(created.out).session_id };
}

describe('starling call / starling answer', () => {
  let dir: string;
  beforeAll(() => {
    dir = cliFolder();
  });

  it('exchange a file each way through the relay and both end when the caller hangs up', async () => {
    const alice = await account('alice');
    const bob = await account('bob');
    const fromAlice = Buffer.concat(knownChunks(3, 150));
    const fromBob = Buffer.concat(knownChunks(4, 90));
    writeFileSync(join(dir, 'a.bin'), fromAlice);
    writeFileSync(join(dir, 'b.bin'), fromBob);
    const answering = cli(bob.home, 'answer', '--send', join(dir, 'b.bin'), '--save', join(dir, 'b-got.bin'), '--json');
    const calling = cli(alice.home, 'call', bob.sessionId, '--send', join(dir, 'a.bin'), '--save', join(dir, 'a-got.bin'), '--end-after-exchange', '--json');
    const [a, b] = await Promise.all([calling, answering]);
    expect([a.code, a.err]).toEqual([0, '']);
    expect([b.code, b.err]).toEqual([0, '']);
    expect(readFileSync(join(dir, 'b-got.bin')).equals(fromAlice)).toBe(true);
    expect(readFileSync(join(dir, 'a-got.bin')).equals(fromBob)).toBe(true);
    const aLines = a.lines();
    const bLines = b.lines();
    expect(stateChanges(aLines)).toEqual(['calling', 'connecting', 'connected', 'ended']);
    expect(stateChanges(bLines)).toEqual(['connecting', 'connected', 'ended']);
    expect(aLines.find((l) => l.received_bytes !== undefined)).toEqual({ sent_bytes: fromAlice.length, received_bytes: fromBob.length, received_sha256: createHash('sha256').update(fromBob).digest('hex') });
    expect(bLines.at(-1)).toEqual({ state: 'ended', peer: alice.sessionId, reason: 'the other side hung up' });
    expect(aLines.at(-1)).toEqual({ state: 'ended', peer: bob.sessionId, reason: 'hung up' });
  });

  it('refuses a group id and warns about --direct', async () => {
    const carol = await account('carol');
    const group = await cli(carol.home, 'call', '03' + 'cd'.repeat(32));
    expect([group.code, group.err]).toEqual([EXIT_CODES.input, 'starling: group calls are not supported: call one member at a time\n']);
    const direct = await cli(carol.home, 'answer', '--direct', '--wait', '1');
    expect(direct.code).toBe(EXIT_CODES.refused);
    expect(direct.err).toContain('warning: --direct allows peer-to-peer candidates: the other side will see your IP address');
    expect(direct.err).toContain('no call arrived within 1 s');
  });
});

describe('sound and picture through the relay (starling call / answer as processes)', () => {
  const running: StarlingProcess[] = [];
  afterAll(() => {
    for (const p of running) if (p.child.exitCode === null) p.child.kill('SIGKILL');
  });

  function starling(home: string, ...argv: string[]): StarlingProcess {
    const p = startStarling([...globalOptions(home), ...argv]);
    running.push(p);
    return p;
  }

  function recordFolder(name: string): string {
    return join(cliFolder(), `${name}-recording`);
  }

  /** Another device of the account in `home`: it reads what the network carried to that account. */
  async function observer(home: string): Promise<Device> {
    return device(new AccountStore(home).accountSeed());
  }

  /** Polls an observer until it holds signals of `type` from `peer`; returns them. */
  async function signalsFrom(d: Device, peer: string, type: number, uuid?: string): Promise<CallSignal[]> {
    const matching = () => d.signals.filter((s) => s.direction === 'in' && s.peer === peer && s.call.type === type && (uuid === undefined || s.call.uuid === uuid));
    await eventually(async () => {
      await poll(d);
      expect(matching().length).toBeGreaterThan(0);
    }, 30_000);
    return matching();
  }

  const allocations = (log: string) => (log.match(/ALLOCATE processed, success/g) ?? []).length;

  /** Ways a host address (127.0.0.1 and a port of that side's sockets) could be written down. */
  function hostAddressMentions(text: string, ports: number[]): string[] {
    return ports.flatMap((port) => [`127.0.0.1:${port}`, `127.0.0.1 ${port}`, `rport ${port}`].filter((form) => text.includes(form)));
  }

  it('a tone and a test pattern each way at once, recorded and measured; relay only; the caller hangs up', async () => {
    const alice = await account('media-alice');
    const bob = await account('media-bob');
    const [aliceRecords, bobRecords] = [recordFolder('alice'), recordFolder('bob')];
    const allocationsBefore = allocations(turn.log());

    const answering = starling(bob.home, 'answer', '--audio', 'tone:660', '--video', 'test-pattern:320x240', '--record', bobRecords, '--json');
    const calling = starling(alice.home, 'call', bob.sessionId, '--audio', 'tone:440', '--video', 'test-pattern', '--record', aliceRecords, '--hang-up-after', '6', '--json');
    // While connected: each side's own UDP sockets, i.e. its host addresses.
    await Promise.all([calling, answering].map((p) => p.waitForLine((l) => l.state === 'connected', 120_000)));
    const alicePorts = udpPortsOf(calling.pid);
    const bobPorts = udpPortsOf(answering.pid);
    expect(alicePorts.length).toBeGreaterThan(0);
    expect(bobPorts.length).toBeGreaterThan(0);

    const [aliceExit, bobExit] = await Promise.all([calling.exited, answering.exited]);
    expect([aliceExit, calling.stderr()]).toEqual([0, '']);
    expect([bobExit, answering.stderr()]).toEqual([0, '']);
    const [aLines, bLines] = [calling.lines(), answering.lines()];
    expect(stateChanges(aLines)).toEqual(['calling', 'connecting', 'connected', 'ended']);
    expect(stateChanges(bLines)).toEqual(['connecting', 'connected', 'ended']);
    expect(aLines.find((l) => l.state === 'ended' && l.duration_s === undefined)).toMatchObject({ reason: 'hung up' });
    expect(bLines.find((l) => l.state === 'ended' && l.duration_s === undefined)).toMatchObject({ reason: 'the other side hung up' });

    // Once a second while connected: duration, round-trip time and loss from WebRTC statistics.
    for (const lines of [aLines, bLines]) {
      const ticks = lines.filter((l) => l.duration_s !== undefined);
      expect(ticks.length).toBeGreaterThanOrEqual(3);
      expect(ticks.every((t) => t.state === 'connected' && typeof t.loss_pct === 'number' && typeof t.packets_lost === 'number')).toBe(true);
      expect(ticks.some((t) => typeof t.rtt_ms === 'number')).toBe(true);
      expect(ticks.at(-1)).toMatchObject({ muted: false, camera: true, remote_camera: true });
    }

    // What Bob recorded of Alice: the 440 Hz tone and her 640x360 test pattern, and the reverse.
    const bobHeard = readWav(readFileSync(join(bobRecords, RECORDED_AUDIO_FILE)));
    expect(bobHeard.samples.length / bobHeard.sampleRate).toBeGreaterThanOrEqual(4);
    const atBob = analyseTone(bobHeard.samples, bobHeard.sampleRate);
    const aliceHeard = readWav(readFileSync(join(aliceRecords, RECORDED_AUDIO_FILE)));
    const atAlice = analyseTone(aliceHeard.samples, aliceHeard.sampleRate);
    console.log(`calls through coturn: Bob heard ${atBob.hz.toFixed(2)} Hz at ${atBob.snrDb.toFixed(1)} dB SNR, Alice heard ${atAlice.hz.toFixed(2)} Hz at ${atAlice.snrDb.toFixed(1)} dB SNR`);
    expect(Math.abs(atBob.hz - 440)).toBeLessThanOrEqual(5);
    expect(Math.abs(atAlice.hz - 660)).toBeLessThanOrEqual(5);
    expect(atBob.snrDb).toBeGreaterThan(20);
    const bobSaw = await inspectVideo(join(bobRecords, RECORDED_VIDEO_FILE));
    expect([bobSaw.width, bobSaw.height]).toEqual([640, 360]);
    expect(bobSaw.decodedFrames).toBeGreaterThanOrEqual(30);
    const aliceSaw = await inspectVideo(join(aliceRecords, RECORDED_VIDEO_FILE));
    expect([aliceSaw.width, aliceSaw.height]).toEqual([320, 240]);
    expect(aliceSaw.decodedFrames).toBeGreaterThanOrEqual(30);
    expect(aLines.at(-1)).toMatchObject({ recorded: { audio: { path: join(aliceRecords, RECORDED_AUDIO_FILE) }, video: { width: 320, height: 240 } } });

    // What the network carried to each (read by another device of each account): SDPs without
    // candidates or addresses, candidates of type relay only with the related address blanked.
    const [bobDevice, aliceDevice] = await Promise.all([observer(bob.home), observer(alice.home)]);
    const offer = (await signalsFrom(bobDevice, alice.sessionId, CALL_TYPE.OFFER)).at(-1)!;
    const uuid = offer.call.uuid;
    const answer = (await signalsFrom(aliceDevice, bob.sessionId, CALL_TYPE.ANSWER, uuid))[0];
    const fromAlice = (await signalsFrom(bobDevice, alice.sessionId, CALL_TYPE.ICE_CANDIDATES, uuid)).flatMap((s) => s.call.sdps ?? []);
    const fromBob = (await signalsFrom(aliceDevice, bob.sessionId, CALL_TYPE.ICE_CANDIDATES, uuid)).flatMap((s) => s.call.sdps ?? []);
    for (const sdp of [offer.call.sdps![0], answer.call.sdps![0]]) {
      expect(sdp).not.toMatch(/a=candidate|a=end-of-candidates/);
      expect(sdp.match(/^c=IN IP4 .*$/gm)!.every((line) => line === 'c=IN IP4 0.0.0.0')).toBe(true);
      expect(sdp.match(/^m=\w+/gm)).toEqual(['m=audio', 'm=video', 'm=application']);
    }
    for (const line of [...fromAlice, ...fromBob]) {
      expect(candidateType(line)).toBe('relay');
      expect(line).toContain('raddr 0.0.0.0 rport 0');
    }
    expect(fromAlice.length).toBeGreaterThan(0);
    expect(fromBob.length).toBeGreaterThan(0);

    // coturn allocated for both; neither side's host address reached the other: not in what the
    // network carried to it, not in anything it printed.
    expect(allocations(turn.log()) - allocationsBefore).toBeGreaterThanOrEqual(2);
    const reachedBob = [offer.call.sdps![0], ...fromAlice, answering.stdout(), answering.stderr()].join('\n');
    const reachedAlice = [answer.call.sdps![0], ...fromBob, calling.stdout(), calling.stderr()].join('\n');
    expect(hostAddressMentions(reachedBob, alicePorts)).toEqual([]);
    expect(hostAddressMentions(reachedAlice, bobPorts)).toEqual([]);
  }, 240_000);

  it('the callee hanging up (Ctrl-C) ends the caller’s call; what was heard until then is recorded', async () => {
    const alice = await account('media-alice-2');
    const bob = await account('media-bob-2');
    const bobRecords = recordFolder('bob-2');
    const answering = starling(bob.home, 'answer', '--record', bobRecords, '--json');
    const calling = starling(alice.home, 'call', bob.sessionId, '--audio', 'tone:440', '--json');
    await answering.waitForLine((l) => l.state === 'connected' && typeof l.audio_received_s === 'number' && l.audio_received_s >= 2, 120_000);
    answering.child.kill('SIGINT');
    const [aliceExit, bobExit] = await Promise.all([calling.exited, answering.exited]);
    expect([bobExit, answering.stderr()]).toEqual([0, '']);
    expect([aliceExit, calling.stderr()]).toEqual([0, '']);
    expect(answering.lines().find((l) => l.state === 'ended')).toMatchObject({ reason: 'hung up' });
    expect(calling.lines().find((l) => l.state === 'ended')).toMatchObject({ reason: 'the other side hung up' });
    // Bob sent no --audio and no --video: his side was silent with the camera off, and Alice was told.
    expect(calling.lines().filter((l) => l.duration_s !== undefined).at(-1)).toMatchObject({ remote_camera: false });
    const heard = readWav(readFileSync(join(bobRecords, RECORDED_AUDIO_FILE)));
    expect(Math.abs(analyseTone(heard.samples, heard.sampleRate).hz - 440)).toBeLessThanOrEqual(5);
  }, 240_000);
});
