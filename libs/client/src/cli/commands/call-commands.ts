// `starling call <session-id>` and `starling answer`: a 1:1 call (client.md 6) whose signalling
// travels as Session messages and whose media (Opus audio, VP8 video, the data channel) is
// relayed by TURN (credentials from the file server through an onion path). Relay-only unless
// --direct, which warns that the peer then learns our address. Sound and picture come from
// --audio/--video and the peer's are written under --record; --send/--save move a file over the
// data channel. While connected the call shows its state, duration, round-trip time and loss once
// a second on a terminal (one JSON line a second under --json); on a terminal m mutes, v turns
// the camera off/on and q hangs up. It ends on Ctrl-C, q, --hang-up-after, when the other side
// hangs up, or with --end-after-exchange once both streams are through.
import { closeSync, mkdirSync, openSync, readFileSync, writeSync } from 'fs';
import { Command } from 'commander';
import { fetchTurnServers } from '../../calls/turn-credentials';
import { CallSession, type CallState } from '../../calls/call-session';
import { answeredElsewhere, CallSignaler, checkCallable, isLiveOffer, type CallSignal } from '../../calls/call-signals';
import { exchangeStreams } from '../../calls/call-stream';
import type { IceServer } from '../../calls/call-peer';
import type { CallMediaOptions } from '../../calls/media/call-media';
import { checkAudioInput, parseAudioInput } from '../../calls/media/audio-source';
import { checkVideoInput, parseVideoInput } from '../../calls/media/video-source';
import { Inbox } from '../../conversations/inbox';
import { CALL_TYPE } from '../../messaging/session-protos';
import { ClientError } from '../../network/errors';
import { Io } from '../output';
import { callStatusJson, callStatusLine, recordingJson, recordingLines } from './call-status';
import { CommandContext } from './context';

const CALL_POLL_MS = 1000;
const STATUS_EVERY_MS = 1000;
/** A call rings for 60 s (client.md 6); `answer` waits as long by default. */
const DEFAULT_WAIT_SECONDS = 60;
const DIRECT_WARNING = 'warning: --direct allows peer-to-peer candidates: the other side will see your IP address\n';

interface CallOptions {
  direct?: boolean;
  audio?: string;
  video?: string;
  record?: string;
  hangUpAfter?: string;
  send?: string;
  save?: string;
  endAfterExchange?: boolean;
  json?: boolean;
}

export function registerCallCommands(program: Command, ctx: CommandContext): void {
  const withCallOptions = (command: Command) =>
    command
      .option('--direct', 'allow peer-to-peer candidates (faster, but the peer learns your IP address)')
      .option('--audio <wav|tone:hz>', 'what you say: a sound file (looped) or a tone, e.g. tone:440 (default: silence)')
      .option('--video <file|test-pattern>', 'what you show: a video file (looped) or test-pattern[:WxH] (default: camera off)')
      .option('--record <dir>', "write the other side's audio (audio.wav) and video (video.webm) into this folder")
      .option('--hang-up-after <seconds>', 'hang up this long after the call connects')
      .option('--send <file>', 'send this file over the data channel')
      .option('--save <file>', 'write what the other side sends over the data channel into this file')
      .option('--end-after-exchange', 'hang up once both sides have sent their stream')
      .option('--json', 'print one JSON object per state change and per second while connected');

  withCallOptions(program.command('call').description('call a Session ID (relayed through TURN; media never touches the swarms)').argument('<session-id>', 'who to call (05...; groups cannot be called)'))
    .action(async (to: string, opts: CallOptions) => {
      const peer = checkCallable(to);
      const local = await prepareLocal(opts);
      const { signaler, inbox, iceServers } = await prepareNetwork(ctx, opts);
      const session = await CallSession.call(signaler, peer, { iceServers, direct: opts.direct, onState: stateReporter(ctx.io, peer, opts.json), onError: mediaErrorReporter(ctx.io), media: local.media });
      await runCall(ctx.io, session, inbox, local, opts);
    });

  withCallOptions(program.command('answer').description('wait for an incoming call and answer it'))
    .option('--wait <seconds>', 'how long to wait for a call', String(DEFAULT_WAIT_SECONDS))
    .action(async (opts: CallOptions & { wait: string }) => {
      const waitSeconds = Number(opts.wait);
      if (!(Number.isInteger(waitSeconds) && waitSeconds > 0)) throw new ClientError('--wait must be a whole number of seconds', 'input');
      const local = await prepareLocal(opts);
      const { signaler, inbox, iceServers, clock } = await prepareNetwork(ctx, opts);
      const { offer, seen } = await waitForOffer(ctx.io, inbox, clock, waitSeconds * 1000, !!opts.json);
      const options = { iceServers, direct: opts.direct, onState: stateReporter(ctx.io, offer.peer, opts.json), onError: mediaErrorReporter(ctx.io), media: local.media };
      const session = await CallSession.answer(signaler, offer, clock.now(), options, seen);
      await runCall(ctx.io, session, inbox, local, opts);
    });
}

interface LocalSide {
  media: CallMediaOptions;
  sendBytes: Uint8Array;
  hangUpAfterSeconds?: number;
}

/** Everything about our own side that can be wrong is checked before anything rings. */
async function prepareLocal(opts: CallOptions): Promise<LocalSide> {
  const media: CallMediaOptions = {};
  if (opts.audio !== undefined) await checkAudioInput((media.audio = parseAudioInput(opts.audio)));
  if (opts.video !== undefined) await checkVideoInput((media.video = parseVideoInput(opts.video)));
  if (opts.record !== undefined) {
    try {
      mkdirSync(opts.record, { recursive: true });
    } catch (err) {
      throw new ClientError(`cannot record into ${opts.record}: ${(err as Error).message}`, 'input');
    }
    media.recordDir = opts.record;
  }
  let hangUpAfterSeconds: number | undefined;
  if (opts.hangUpAfter !== undefined) {
    hangUpAfterSeconds = Number(opts.hangUpAfter);
    if (!(hangUpAfterSeconds > 0)) throw new ClientError('--hang-up-after must be a number of seconds above 0', 'input');
  }
  return { media, sendBytes: readSendFile(opts.send), hangUpAfterSeconds };
}

async function prepareNetwork(ctx: CommandContext, opts: CallOptions) {
  if (opts.direct) ctx.io.err(DIRECT_WARNING);
  const store = ctx.store();
  store.identity();
  const swarm = await ctx.connect(store);
  const server = opts.direct ? ctx.fileServer(false) : ctx.fileServer(true);
  // --direct without a file server: host candidates only (a local network); otherwise TURN too.
  const iceServers: IceServer[] = server ? await fetchTurnServers(await ctx.servers(store), server) : [];
  return { signaler: new CallSignaler(store, swarm), inbox: new Inbox(store, swarm), iceServers, clock: swarm.clock };
}

function readSendFile(file: string | undefined): Uint8Array {
  if (file === undefined) return new Uint8Array(0);
  try {
    return readFileSync(file);
  } catch (err) {
    throw new ClientError(`cannot read ${file}: ${(err as Error).message}`, 'input');
  }
}

function stateReporter(io: Io, peer: string, json?: boolean) {
  return (state: CallState, why?: string) => {
    if (json) io.out(JSON.stringify({ state, peer, ...(why ? { reason: why } : {}) }) + '\n');
    else io.out(`Call with ${peer}: ${state}${why ? ` (${why})` : ''}\n`);
  };
}

/** Media trouble (an encoder gone, a file not writable) is told; the call goes on. */
function mediaErrorReporter(io: Io) {
  return (err: unknown) => io.err(`starling: ${(err as Error).message}\n`);
}

/** Polls until a live offer rings, skipping calls already answered elsewhere or ended. */
async function waitForOffer(io: Io, inbox: Inbox, clock: { now(): number }, waitMs: number, json: boolean): Promise<{ offer: CallSignal; seen: CallSignal[] }> {
  const deadline = Date.now() + waitMs;
  if (!json) io.out('Waiting for a call\n');
  const seen: CallSignal[] = [];
  for (;;) {
    seen.push(...(await inbox.poll()).calls);
    const over = new Set(seen.filter((s) => s.call.type === CALL_TYPE.END_CALL || answeredElsewhere(s, s.call.uuid)).map((s) => s.call.uuid));
    const ringing = seen.filter((s) => isLiveOffer(s, clock.now()) && !over.has(s.call.uuid)).pop();
    if (ringing) return { offer: ringing, seen };
    if (Date.now() >= deadline) throw new ClientError(`no call arrived within ${Math.round(waitMs / 1000)} s`, 'refused');
    await new Promise((resolve) => setTimeout(resolve, CALL_POLL_MS));
  }
}

/** Once a second while connected: the status shown (or printed as JSON), and --hang-up-after. */
function startStatusTicker(io: Io, session: CallSession, local: LocalSide, json: boolean): () => void {
  const timer = setInterval(() => {
    if (session.currentState !== 'connected') return;
    void session.status().then((status) => {
      if (session.currentState !== 'connected') return; // ended while the figures were gathered
      if (json) io.out(JSON.stringify(callStatusJson(status)) + '\n');
      else if (io.terminal) io.out(callStatusLine(status) + '\n');
      if (local.hangUpAfterSeconds !== undefined && status.durationSeconds >= local.hangUpAfterSeconds) void session.hangUp();
    });
  }, STATUS_EVERY_MS);
  return () => clearInterval(timer);
}

/** On a terminal: m mutes/unmutes, v turns the camera off/on, q hangs up. */
function listenForKeys(io: Io, session: CallSession, local: LocalSide, json: boolean): () => void {
  if (!io.onKey || !io.terminal || json) return () => undefined;
  let muted = local.media.audio === undefined;
  let camera = local.media.video !== undefined;
  io.out('Keys: m mute/unmute, v camera off/on, q hang up\n');
  return io.onKey((key) => {
    if (key === 'm') session.setMuted((muted = !muted));
    else if (key === 'v' && local.media.video) session.setCamera((camera = !camera));
    else if (key === 'q' || key === '\u0003') void session.hangUp(); // raw mode turns Ctrl-C into a key
  });
}

/** Polls for the peer's signals, exchanges the streams, and returns once the call is over. */
async function runCall(io: Io, session: CallSession, inbox: Inbox, local: LocalSide, opts: CallOptions): Promise<void> {
  const onSigint = () => void session.hangUp();
  process.once('SIGINT', onSigint);
  const stopTicker = startStatusTicker(io, session, local, !!opts.json);
  const stopKeys = listenForKeys(io, session, local, !!opts.json);
  const save = opts.save === undefined ? undefined : openSync(opts.save, 'w');
  try {
    const exchange = session.channel().then(async (channel) => {
      const streams = exchangeStreams(channel, local.sendBytes, (chunk) => save !== undefined && writeSync(save, chunk));
      const got = await streams.received;
      if (opts.json) io.out(JSON.stringify({ sent_bytes: local.sendBytes.length, received_bytes: got.bytes, received_sha256: got.sha256 }) + '\n');
      else io.out(`Sent ${local.sendBytes.length} bytes; received ${got.bytes} bytes (sha256 ${got.sha256})\n`);
      if (opts.endAfterExchange) {
        await streams.delivered;
        await session.hangUp();
      }
    });
    exchange.catch(() => undefined);
    let ended = false;
    void session.ended.then(() => (ended = true));
    while (!ended) {
      try {
        for (const signal of (await inbox.poll()).calls) await session.handle(signal);
      } catch (err) {
        // A failed poll (path down, node gone) is reported and retried; the media goes on.
        if (!(err instanceof ClientError)) throw err;
        io.err(`starling: poll failed: ${err.message}\n`);
      }
      if (!ended) await Promise.race([session.ended, new Promise((resolve) => setTimeout(resolve, CALL_POLL_MS))]);
    }
    if (opts.endAfterExchange) await exchange;
    if (local.media.recordDir !== undefined) {
      const recording = await session.recorded();
      io.out(opts.json ? JSON.stringify(recordingJson(recording)) + '\n' : recordingLines(recording));
    }
  } finally {
    process.removeListener('SIGINT', onSigint);
    stopTicker();
    stopKeys();
    if (save !== undefined) closeSync(save);
  }
}
