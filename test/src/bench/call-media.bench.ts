// Call media benchmark: mouth-to-ear latency of a call's audio and the CPU each side spends, for a
// call relayed through a TURN server (coturn on loopback, relay candidates only: Starling's
// default) against a --direct call (host candidates) in the same run.
//
// Set-up: each side is its own process (call-side.ts) with a werift peer, sending clicks (one
// every 500 ms, silence between, Opus 20 ms frames) and ffmpeg's 640x360 test pattern (VP8), and
// recording what the other sends (WAV, WebM); the parent carries SDPs and candidates by IPC.
// Latency of a click: from the moment its first sample was "spoken" (the frame went to the encoder
// one frame length later) to the moment it was decoded on the other side (plus its offset inside
// the decoded frame), on the machine's one clock. That is capture framing + encoding + network
// (or relay) + reordering + decoding; no playout buffer or sound card, which a real app adds.
// CPU: utime+stime of each side's process and of its ffmpeg children over the connected call.
//
// Calls alternate (relay, direct, direct, relay, ...) so that machine noise hits both alike.
// Prints a table and `ratio relay/direct` for latency and CPU. About 100 s.
// Run: `node test/dist/bench/run.js call-media` after `npx tsc -b test/tsconfig.build.json`.
// Knobs (env): BENCH_CALL_SECONDS (15 per call), BENCH_ROUNDS (2 calls of each kind). Needs
// coturn and ffmpeg (Debian packages).
import { fork, type ChildProcess } from 'child_process';
import { createHmac } from 'crypto';
import { join } from 'path';
import type { IceServer } from '@starling/client';
import { startTurnServer, type TurnServer } from '../devnet';
import { intEnv } from './bench-env';
import { runBench } from './bench-network';
import type { ParentMessage, SideMessage } from './call-side';
import { loadAverage } from './proc-cpu';

const settings = { callSeconds: intEnv('BENCH_CALL_SECONDS', 15), rounds: intEnv('BENCH_ROUNDS', 2) };

interface CallFigures {
  mode: string;
  /** Mouth-to-ear of every click heard, both directions, ms. */
  latencies: number[];
  clicksSent: number;
  /** CPU seconds per second of call, [caller, callee], own process and ffmpeg children. */
  cpu: { self: number; children: number }[];
}

async function runCall(mode: string, iceServers: IceServer[], direct: boolean): Promise<CallFigures> {
  const sides = (['caller', 'callee'] as const).map((role) => ({ role, child: fork(join(__dirname, 'call-side.js'), [], { stdio: 'inherit' }) as ChildProcess }));
  const [caller, callee] = sides;
  const mouths: number[][] = [[], []];
  const ears: number[][] = [[], []];
  const done: { cpuSelfSeconds: number; cpuChildrenSeconds: number; callSeconds: number }[] = [];
  let connected = 0;
  const bothConnected = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${mode}: the call did not connect`)), 30_000);
    sides.forEach((side, i) => {
      const other = sides[1 - i].child;
      side.child.on('message', (message: SideMessage) => {
        if ('sdp' in message) other.send({ sdp: message.sdp } satisfies ParentMessage);
        else if ('candidate' in message) other.send({ candidate: message.candidate } satisfies ParentMessage);
        else if ('connected' in message && ++connected === 2) {
          clearTimeout(timer);
          resolve();
        } else if ('mouthMs' in message) mouths[i].push(message.mouthMs);
        else if ('earMs' in message) ears[i].push(message.earMs);
        else if ('done' in message) done[i] = message.done;
      });
    });
  });
  for (const side of sides) side.child.send({ start: { role: side.role, iceServers, direct } } satisfies ParentMessage);
  await bothConnected;
  await new Promise((resolve) => setTimeout(resolve, settings.callSeconds * 1000));
  const exits = sides.map((s) => new Promise((resolve) => s.child.once('exit', resolve)));
  for (const side of [caller, callee]) side.child.send({ stop: true } satisfies ParentMessage);
  await Promise.all(exits);
  // A click heard by side i was sent by the other side: pair it with the last one sent before it.
  const latencies = ears.flatMap((heard, i) =>
    heard.map((ear) => ear - Math.max(...mouths[1 - i].filter((m) => m <= ear))).filter((ms) => Number.isFinite(ms) && ms < 500),
  );
  return {
    mode,
    latencies,
    clicksSent: mouths[0].length + mouths[1].length,
    cpu: done.map((d) => ({ self: d.cpuSelfSeconds / d.callSeconds, children: d.cpuChildrenSeconds / d.callSeconds })),
  };
}

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
};

/** Several calls of one kind as one: every latency, CPU averaged per side. */
function combine(calls: CallFigures[]): CallFigures {
  const mean = (side: number, part: 'self' | 'children') => calls.reduce((sum, c) => sum + c.cpu[side][part], 0) / calls.length;
  return {
    mode: calls[0].mode,
    latencies: calls.flatMap((c) => c.latencies),
    clicksSent: calls.reduce((sum, c) => sum + c.clicksSent, 0),
    cpu: [0, 1].map((side) => ({ self: mean(side, 'self'), children: mean(side, 'children') })),
  };
}

function turnServers(turn: TurnServer): IceServer[] {
  const username = `${Math.floor(Date.now() / 1000) + 3600}:bench`;
  const credential = createHmac('sha1', turn.secret).update(username).digest('base64');
  return turn.uris.map((urls) => ({ urls, username, credential }));
}

runBench(240_000, async () => {
  const turn = await startTurnServer();
  try {
    const relayCalls: CallFigures[] = [];
    const directCalls: CallFigures[] = [];
    for (let round = 0; round < settings.rounds; round++) {
      const pair = [() => runCall('relay (TURN)', turnServers(turn), false).then((c) => relayCalls.push(c)), () => runCall('direct', [], true).then((c) => directCalls.push(c))];
      for (const call of round % 2 === 0 ? pair : pair.reverse()) await call();
    }
    const relayed = combine(relayCalls);
    const direct = combine(directCalls);
    if (!/ALLOCATE processed, success/.test(turn.log())) throw new Error('coturn saw no allocation: the relayed call did not use the relay');
    console.log(`${settings.rounds} calls of each kind, ${settings.callSeconds} s each, Opus clicks + VP8 640x360 both ways, recording both ways; load ${loadAverage()}`);
    console.log('mode            clicks heard/sent  p50 ms  p90 ms  max ms   CPU caller (node+ffmpeg)  CPU callee (node+ffmpeg)');
    for (const c of [relayed, direct]) {
      const cpu = c.cpu.map((s) => `${((s.self + s.children) * 100).toFixed(1)}% (${(s.self * 100).toFixed(1)}+${(s.children * 100).toFixed(1)})`.padEnd(26));
      console.log(
        `${c.mode.padEnd(16)}${`${c.latencies.length}/${c.clicksSent}`.padEnd(19)}${percentile(c.latencies, 50).toFixed(1).padStart(6)}  ${percentile(c.latencies, 90).toFixed(1).padStart(6)}  ${Math.max(...c.latencies).toFixed(1).padStart(6)}   ${cpu.join('')}`,
      );
    }
    const cpuTotal = (c: CallFigures) => c.cpu.reduce((sum, s) => sum + s.self + s.children, 0);
    console.log(`ratio relay/direct: latency p50 ${(percentile(relayed.latencies, 50) / percentile(direct.latencies, 50)).toFixed(2)}, CPU ${(cpuTotal(relayed) / cpuTotal(direct)).toFixed(2)}`);
  } finally {
    await turn.stop();
  }
});
