// `watch` commands: one poll every interval until Ctrl-C (or `limit` polls, for scripts). A failed
// poll (path down, node gone) is reported and retried on the next tick.
import { ClientError } from '../../network/errors';
import { Io } from '../output';

export const WATCH_INTERVAL_MS = 2000;

export async function watchLoop(io: Io, limit: number, json: boolean, poll: () => Promise<void>, intervalMs = WATCH_INTERVAL_MS): Promise<void> {
  const stop = new AbortController();
  const onSigint = () => stop.abort();
  process.once('SIGINT', onSigint);
  try {
    for (let polls = 0; polls < limit && !stop.signal.aborted; polls++) {
      try {
        await poll();
      } catch (err) {
        // A failed poll (path down, node gone) is reported and retried on the next tick.
        if (!(err instanceof ClientError)) throw err;
        if (json) io.err(JSON.stringify({ warning: { kind: err.kind, message: `poll failed: ${err.message}` } }) + '\n');
        else io.err(`starling: poll failed: ${err.message}\n`);
      }
      if (polls + 1 < limit) await pause(intervalMs, stop.signal);
    }
  } finally {
    process.removeListener('SIGINT', onSigint);
  }
}

/** The --polls option: a whole number, or Infinity when absent. */
export function pollLimit(text: string | undefined): number {
  const limit = text === undefined ? Infinity : Number(text);
  if (!Number.isInteger(limit) && limit !== Infinity) throw new ClientError('--polls must be a whole number', 'input');
  return limit;
}

function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    }, { once: true });
  });
}
