// What the services wrote while a test ran: every line at error level or above (pino level 50+),
// and anything a crashing Node process prints that is not a log line. A client's mistake is never
// an error of the service; it must not show up here.
import { promises as fs } from 'fs';
import type { ServiceProcess } from '../../../src/devnet';

export interface LoggedError {
  service: string;
  line: string;
}

const ERROR_LEVEL = 50;

export class LogWatch {
  private readonly offsets = new Map<ServiceProcess, number>();

  constructor(private readonly processes: readonly ServiceProcess[]) {}

  /** From now on: lines written before this call are not looked at. */
  async mark(): Promise<void> {
    for (const p of this.processes) this.offsets.set(p, (await fs.stat(p.logFile).catch(() => ({ size: 0 }))).size);
  }

  /** Error-level lines (and stray non-JSON error output) written since mark(). */
  async errorsSinceMark(): Promise<LoggedError[]> {
    const found: LoggedError[] = [];
    for (const p of this.processes) {
      const text = await readFrom(p.logFile, this.offsets.get(p) ?? 0);
      for (const line of text.split('\n')) {
        if (line.trim() === '') continue;
        let level: unknown;
        try {
          level = (JSON.parse(line) as { level?: unknown }).level;
        } catch {
          if (/error|exception|^\s+at /i.test(line)) found.push({ service: p.name, line: line.slice(0, 300) });
          continue;
        }
        if (typeof level === 'number' && level >= ERROR_LEVEL) found.push({ service: p.name, line: line.slice(0, 300) });
      }
    }
    return found;
  }
}

async function readFrom(file: string, offset: number): Promise<string> {
  const handle = await fs.open(file, 'r').catch(() => undefined);
  if (!handle) return '';
  try {
    const { size } = await handle.stat();
    const buffer = Buffer.alloc(Math.max(0, size - offset));
    await handle.read(buffer, 0, buffer.length, offset);
    return buffer.toString('utf8');
  } finally {
    await handle.close();
  }
}
