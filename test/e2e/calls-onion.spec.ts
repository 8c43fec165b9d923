// 1:1 calls through the whole local network (client.md 6, issue 8): signalling as sealed Session
// messages through onion paths, TURN credentials fetched from the file server through an onion
// path, and the media (a data channel of known bytes) relayed by a coturn started here. Relay-only:
// no host or server-reflexive candidate ever leaves a device, so neither peer learns the other's
// address. Also: an expired offer does not ring, a blocked caller cannot ring, either side's
// hang-up ends both, a second device of the callee learns the call was answered, no group calls;
// and the same through `starling call` / `starling answer`.
import { createHash } from 'crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import {
  AccountStore,
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
  isLiveOffer,
  parseFileServer,
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

describe('starling call / starling answer', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'starling-call-cli-'));
    folders.push(dir);
  });

  async function cli(home: string, ...argv: string[]) {
    let out = '';
    let err = '';
    const global = ['--home', home, '--seed-url', devnet.seedUrl, '--file-server', fileServer.url, '--file-server-key', fileServer.x25519];
    const code = await runCli([...global, ...argv], { out: (t) => (out += t), err: (t) => (err += t) }, { env: {} });
    return { code, out, err, lines: () => out.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>) };
  }

  async function account(name: string): Promise<{ home: string; sessionId: string }> {
    const home = join(dir, `${name}-home`);
    const created = await cli(home, 'init', '--json');
    expect(created.code).toBe(0);
    return { home, sessionId: JSON.parse(created.out).session_id };
  }

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
    expect(aLines.map((l) => l.state).filter(Boolean)).toEqual(['calling', 'connecting', 'connected', 'ended']);
    expect(bLines.map((l) => l.state).filter(Boolean)).toEqual(['connecting', 'connected', 'ended']);
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
