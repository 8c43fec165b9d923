// `starling call <session-id>` and `starling answer`: a 1:1 call (client.md 6) whose signalling
// travels as Session messages and whose data channel is relayed by TURN (credentials from the file
// server through an onion path). Relay-only unless --direct, which warns that the peer then learns
// our address. With --send/--save the call carries a file each way; the call shows its state and
// ends on Ctrl-C, when the other side hangs up, or with --end-after-exchange once both streams are through.
import { closeSync, openSync, readFileSync, writeSync } from 'fs';
import { Command } from 'commander';
import { fetchTurnServers } from '../../calls/turn-credentials';
import { CallSession, type CallState } from '../../calls/call-session';
import { answeredElsewhere, CallSignaler, checkCallable, isLiveOffer, type CallSignal } from '../../calls/call-signals';
import { exchangeStreams } from '../../calls/call-stream';
import type { IceServer } from '../../calls/call-peer';
import { Inbox } from '../../conversations/inbox';
import { CALL_TYPE } from '../../messaging/session-protos';
import { ClientError } from '../../network/errors';
import { Io } from '../output';
import { CommandContext } from './context';

const CALL_POLL_MS = 1000;
/** A call rings for 60 s (client.md 6); `answer` waits as long by default. */
const DEFAULT_WAIT_SECONDS = 60;
const DIRECT_WARNING = 'warning: --direct allows peer-to-peer candidates: the other side will see your IP address\n';

interface CallOptions {
  direct?: boolean;
  send?: string;
  save?: string;
  endAfterExchange?: boolean;
  json?: boolean;
}

export function registerCallCommands(program: Command, ctx: CommandContext): void {
  const withCallOptions = (command: Command) =>
    command
      .option('--direct', 'allow peer-to-peer candidates (faster, but the peer learns your IP address)')
      .option('--send <file>', 'send this file over the call')
      .option('--save <file>', 'write what the other side sends into this file')
      .option('--end-after-exchange', 'hang up once both sides have sent their stream')
      .option('--json', 'print one JSON object per state change');

  withCallOptions(program.command('call').description('call a Session ID (relayed through TURN; media never touches the swarms)').argument('<session-id>', 'who to call (05...; groups cannot be called)'))
    .action(async (to: string, opts: CallOptions) => {
      const peer = checkCallable(to);
      const sendBytes = readSendFile(opts.send);
      const { signaler, inbox, iceServers } = await prepare(ctx, opts);
      const session = await CallSession.call(signaler, peer, { iceServers, direct: opts.direct, onState: stateReporter(ctx.io, peer, opts.json) });
      await runCall(ctx.io, session, inbox, sendBytes, opts);
    });

  withCallOptions(program.command('answer').description('wait for an incoming call and answer it'))
    .option('--wait <seconds>', 'how long to wait for a call', String(DEFAULT_WAIT_SECONDS))
    .action(async (opts: CallOptions & { wait: string }) => {
      const waitSeconds = Number(opts.wait);
      if (!(Number.isInteger(waitSeconds) && waitSeconds > 0)) throw new ClientError('--wait must be a whole number of seconds', 'input');
      const sendBytes = readSendFile(opts.send);
      const { signaler, inbox, iceServers, clock } = await prepare(ctx, opts);
      const { offer, seen } = await waitForOffer(ctx.io, inbox, clock, waitSeconds * 1000, !!opts.json);
      const onState = stateReporter(ctx.io, offer.peer, opts.json);
      const session = await CallSession.answer(signaler, offer, clock.now(), { iceServers, direct: opts.direct, onState }, seen);
      await runCall(ctx.io, session, inbox, sendBytes, opts);
    });
}

async function prepare(ctx: CommandContext, opts: CallOptions) {
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

/** Polls for the peer's signals, exchanges the streams, and returns once the call is over. */
async function runCall(io: Io, session: CallSession, inbox: Inbox, sendBytes: Uint8Array, opts: CallOptions): Promise<void> {
  const onSigint = () => void session.hangUp();
  process.once('SIGINT', onSigint);
  const save = opts.save === undefined ? undefined : openSync(opts.save, 'w');
  try {
    const exchange = session.channel().then(async (channel) => {
      const streams = exchangeStreams(channel, sendBytes, (chunk) => save !== undefined && writeSync(save, chunk));
      const got = await streams.received;
      if (opts.json) io.out(JSON.stringify({ sent_bytes: sendBytes.length, received_bytes: got.bytes, received_sha256: got.sha256 }) + '\n');
      else io.out(`Sent ${sendBytes.length} bytes; received ${got.bytes} bytes (sha256 ${got.sha256})\n`);
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
  } finally {
    process.removeListener('SIGINT', onSigint);
    if (save !== undefined) closeSync(save);
  }
}
