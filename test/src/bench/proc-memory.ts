// Resident memory of other processes, read from /proc: what a pod's memory limit is compared with
// (the kernel charges resident pages to the cgroup), sampled over a process's life.
import { readdirSync, readFileSync } from 'fs';

export interface MemoryReading {
  /** Resident set now (VmRSS), bytes. */
  rss: number;
  /** The highest resident set the process has had (VmHWM), bytes: catches peaks between samples. */
  peak: number;
}

const KIB = 1024;

/** The process's resident memory, or undefined once it has exited. */
export function processMemory(pid: number): MemoryReading | undefined {
  let status: string;
  try {
    status = readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch {
    return undefined;
  }
  const field = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN) * KIB;
  const reading = { rss: field('VmRSS'), peak: field('VmHWM') };
  // A zombie has no memory fields left.
  return Number.isFinite(reading.rss) ? reading : undefined;
}

/** Pids of the direct children of `parent` (scans /proc: no dependency on CONFIG_PROC_CHILDREN). */
export function childPids(parent: number): number[] {
  const children: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === parent) children.push(Number(entry));
    } catch {
      // exited while we looked
    }
  }
  return children;
}

export interface MemoryTrace {
  pid: number;
  /** When the process was first seen, ms since the sampler started. */
  firstSeenMs: number;
  /** [ms since the sampler started, RSS bytes], one per sample while the process was alive. */
  samples: [number, number][];
  /** The last VmHWM read. */
  peak: number;
}

/**
 * Samples the RSS of every child of this process (and of any extra pid) at a fixed interval,
 * from the moment each appears: a service's start-up peak happens before anyone knows its pid.
 */
export class MemorySampler {
  readonly traces = new Map<number, MemoryTrace>();
  private readonly started = performance.now();
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly intervalMs: number) {}

  start(): void {
    this.sample();
    this.timer = setInterval(() => this.sample(), this.intervalMs);
  }

  stop(): void {
    clearInterval(this.timer);
    this.sample();
  }

  /** Ms since the sampler started. */
  now(): number {
    return performance.now() - this.started;
  }

  private sample(): void {
    const at = this.now();
    const pids = new Set([...childPids(process.pid), ...[...this.traces.values()].map((t) => t.pid)]);
    for (const pid of pids) {
      const reading = processMemory(pid);
      if (!reading) continue;
      let trace = this.traces.get(pid);
      if (!trace) this.traces.set(pid, (trace = { pid, firstSeenMs: at, samples: [], peak: 0 }));
      trace.samples.push([at, reading.rss]);
      trace.peak = Math.max(trace.peak, reading.peak);
    }
  }
}

/** The RSS samples taken in [fromMs, toMs]. */
function rssBetween(trace: MemoryTrace, fromMs: number, toMs: number): number[] {
  return trace.samples.filter(([at]) => at >= fromMs && at <= toMs).map(([, rss]) => rss);
}

/** Median RSS of the samples taken in [fromMs, toMs]. */
export function steadyRss(trace: MemoryTrace, fromMs: number, toMs: number): number {
  const values = rssBetween(trace, fromMs, toMs).sort((a, b) => a - b);
  if (values.length === 0) return NaN;
  return values[Math.floor(values.length / 2)];
}

/** Highest RSS sampled in [fromMs, toMs]. */
export function highestRss(trace: MemoryTrace, fromMs: number, toMs: number): number {
  const values = rssBetween(trace, fromMs, toMs);
  return values.length === 0 ? NaN : Math.max(...values);
}

/** The RSS sample closest after `atMs`. */
export function rssAt(trace: MemoryTrace, atMs: number): number {
  return trace.samples.find(([at]) => at >= atMs)?.[1] ?? NaN;
}

export const mib = (bytes: number): string => (Number.isFinite(bytes) ? `${Math.round(bytes / (KIB * KIB))}` : '-');
