// A community server (services/open-groups/dist/main.js) as its own process for a benchmark: a
// free port, the given settings, started when /capabilities answers and its printed join URL
// carries the key it was given; stopped with SIGTERM (SIGKILL after 10 s).
import { sodium, toHex } from '@starling/crypto';
import { eventually } from '@starling/platform';
import { spawn, type ChildProcess } from 'child_process';
import { existsSync } from 'fs';
import { createServer } from 'net';
import { join } from 'path';

const SERVICE_DIST = join(__dirname, '..', '..', '..', 'services', 'open-groups', 'dist');

export interface RunningOpenGroups {
  process: ChildProcess;
  port: number;
  serverPk: Uint8Array;
  /** The last lines the server printed (for diagnosis). */
  output: string[];
  exited(): boolean;
  stop(): Promise<void>;
}

/** `env` adds to (or, with undefined, removes from) this process's environment. */
export async function startOpenGroups(room: string, env: Record<string, string | undefined>): Promise<RunningOpenGroups> {
  const port = await freePort();
  const serverKey = sodium().randombytes_buf(32);
  const serverPk = sodium().crypto_scalarmult_base(serverKey);
  const childEnv: NodeJS.ProcessEnv = {
    ...process.env,
    OPEN_GROUPS_PORT: String(port),
    OPEN_GROUPS_OPS_PORT: '0', // any free port: benchmarks read no ops route
    OPEN_GROUPS_HOST: '127.0.0.1',
    OPEN_GROUPS_ROOMS: room,
    OPEN_GROUPS_SERVER_KEY: toHex(serverKey),
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
  };
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined) delete childEnv[name];
    else childEnv[name] = value;
  }
  const main = join(SERVICE_DIST, 'main.js');
  if (!existsSync(main)) throw new Error(`${main} is missing: build services/open-groups first`);
  const child = spawn(process.execPath, [main], { env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  const output: string[] = [];
  const keep = (chunk: Buffer) => {
    output.push(chunk.toString());
    if (output.length > 200) output.shift();
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const exitedPromise = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const exited = () => child.exitCode !== null || child.signalCode !== null;

  const stop = async () => {
    if (exited()) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exitedPromise;
    clearTimeout(timer);
  };
  try {
    await eventually(async () => {
      if (exited()) return; // stop waiting; reported just below
      const res = await fetch(`http://127.0.0.1:${port}/capabilities`);
      if (res.status !== 200) throw new Error(`capabilities: ${res.status}`);
    }, 30_000);
    if (exited()) throw new Error(`server exited with ${child.exitCode ?? child.signalCode}`);
    // main.js prints each room's join URL: it must carry the key we gave the server.
    const printed = await eventually(() => {
      const found = new RegExp(`/${room}\\?public_key=([0-9a-f]{64})`).exec(output.join(''));
      if (!found) throw new Error('no join URL printed');
      return found[1];
    }, 10_000);
    if (printed !== toHex(serverPk)) throw new Error(`join URL has key ${printed}, expected ${toHex(serverPk)}`);
  } catch (err) {
    await stop();
    throw new Error(`open-groups server did not start: ${(err as Error).message}\n${output.join('')}`);
  }
  return { process: child, port, serverPk, output, exited, stop };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}
