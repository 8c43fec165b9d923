// CPU time of other processes (the services under test) read from /proc, and of this one, so
// that a benchmark can report work per CPU-second: a figure that other load on a shared machine
// changes much less than work per wall-clock second.
import { readdirSync, readFileSync } from 'fs';
import { loadavg, setPriority } from 'os';
import { join } from 'path';

/** Linux USER_HZ: /proc/<pid>/stat counts CPU time in these ticks. */
const CLK_TCK = 100;

/** utime + stime of a process, in seconds. */
export function processCpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' '); // field 3 onwards
  return (Number(fields[11]) + Number(fields[12])) / CLK_TCK;
}

/** This process's user + system CPU so far, in seconds. */
export function selfCpuSeconds(): number {
  const used = process.cpuUsage();
  return (used.user + used.system) / 1e6;
}

/** CPU seconds every core of the machine has spent busy (not idle, not waiting for I/O). */
export function machineBusySeconds(): number {
  const [, ...ticks] = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0].trim().split(/\s+/).map(Number);
  const [user, nice, system, , , irq, softirq, steal] = ticks; // idle and iowait skipped
  return (user + nice + system + irq + softirq + steal) / CLK_TCK;
}

/**
 * CPU seconds spent by the given processes (each) and by this one between `start()` and `stop()`;
 * the two ends fit `runLoad`'s `onWindow`.
 */
export class CpuWindow {
  private startTicks: number[] = [];
  private startSelf = 0;
  /** Per process, in the order given. */
  seconds: number[] = [];
  selfSeconds = 0;
  /** By the whole machine: with the processes above, what the database and others took. */
  machineSeconds = 0;
  private startMachine = 0;

  constructor(private readonly pids: readonly number[]) {}

  readonly onWindow = (edge: 'start' | 'end'): void => (edge === 'start' ? this.start() : this.stop());

  start(): void {
    this.startTicks = this.pids.map(processCpuSeconds);
    this.startSelf = selfCpuSeconds();
    this.startMachine = machineBusySeconds();
  }

  stop(): void {
    this.seconds = this.pids.map((pid, i) => processCpuSeconds(pid) - this.startTicks[i]);
    this.selfSeconds = selfCpuSeconds() - this.startSelf;
    this.machineSeconds = machineBusySeconds() - this.startMachine;
  }

  get total(): number {
    return this.seconds.reduce((a, b) => a + b, 0);
  }
}

/** Sets the nice value of every thread of a process (Linux keeps one per thread). */
export function setProcessNice(pid: number, nice: number): void {
  for (const tid of readdirSync(`/proc/${pid}/task`)) setPriority(Number(tid), nice);
}

/** Sets the nice value of the calling thread only (Linux); threads it starts later inherit it. */
export function setThreadNice(nice: number): void {
  setPriority(0, nice);
}

/** "1.23 2.34 3.45": the 1, 5 and 15 minute load averages, to print next to the figures. */
export function loadAverage(): string {
  return loadavg().map((v) => v.toFixed(2)).join(' ');
}

/**
 * Environment that makes a service write a CPU profile into `dir` (cpu-profile-preload): of its
 * whole life, or with `signal` of the time between the first and second time it gets that signal.
 */
export function cpuProfileEnv(dir: string, signal?: NodeJS.Signals): Record<string, string> {
  return {
    NODE_OPTIONS: `--require ${join(__dirname, 'cpu-profile-preload.js')}`,
    BENCH_CPU_PROF_DIR: dir,
    ...(signal ? { BENCH_CPU_PROF_SIGNAL: signal } : {}),
  };
}
