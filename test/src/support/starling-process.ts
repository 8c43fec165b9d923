// The `starling` command line as a real child process (libs/client/bin/starling.js, built), for
// tests and benchmarks that need each side of a call in its own process: its own CPU time, its
// own sockets, signals such as Ctrl-C. Output is kept whole; --json lines can be awaited.
import { spawn, type ChildProcess } from 'child_process';
import { readdirSync, readFileSync, readlinkSync } from 'fs';
import { join } from 'path';
import { eventually } from '@starling/platform';

const STARLING_BIN = join(__dirname, '..', '..', '..', 'libs', 'client', 'bin', 'starling.js');

export interface StarlingProcess {
  readonly child: ChildProcess;
  readonly pid: number;
  stdout(): string;
  stderr(): string;
  /** stdout's JSON lines (under --json), parsed. */
  lines(): Record<string, unknown>[];
  /** Waits until a JSON line satisfies `match` and returns it. */
  waitForLine(match: (line: Record<string, unknown>) => boolean, timeoutMs?: number): Promise<Record<string, unknown>>;
  readonly exited: Promise<number | null>;
}

export function startStarling(argv: string[], env: NodeJS.ProcessEnv = {}): StarlingProcess {
  const child = spawn(process.execPath, [STARLING_BIN, ...argv], { stdio: ['ignore', 'pipe', 'pipe'], env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env } });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (err += d));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const lines = () =>
    out
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as Record<string, unknown>);
  return {
    child,
    pid: child.pid!,
    stdout: () => out,
    stderr: () => err,
    lines,
    exited,
    async waitForLine(match, timeoutMs = 60_000) {
      let found: Record<string, unknown> | undefined;
      await eventually(
        () => {
          found = lines().find(match);
          if (!found) throw new Error(`no such line yet; stdout: ${out.slice(-500)} stderr: ${err.slice(-500)}`);
        },
        { timeoutMs, intervalMs: 100 },
      );
      return found!;
    },
  };
}

/** Local UDP ports of a process's sockets: its fds that are sockets, looked up in /proc/net/udp(6). */
export function udpPortsOf(pid: number): number[] {
  const inodes = new Set<string>();
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    try {
      const target = readlinkSync(`/proc/${pid}/fd/${fd}`);
      const inode = /^socket:\[(\d+)\]$/.exec(target)?.[1];
      if (inode) inodes.add(inode);
    } catch {
      // closed meanwhile
    }
  }
  const ports: number[] = [];
  for (const table of ['/proc/net/udp', '/proc/net/udp6']) {
    for (const row of readFileSync(table, 'utf8').trim().split('\n').slice(1)) {
      const fields = row.trim().split(/\s+/);
      if (inodes.has(fields[9])) ports.push(parseInt(fields[1].split(':')[1], 16));
    }
  }
  return ports;
}
