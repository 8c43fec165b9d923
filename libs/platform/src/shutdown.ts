// Graceful termination: Kubernetes sends SIGTERM, waits the grace period, then kills. Hooks are
// registered in start order (server, then its dependencies) and run in reverse, so the server
// stops accepting before the database it uses is closed. A deadline bounds the whole run.
import type { Logger } from 'pino';

export type ShutdownHook = () => unknown | Promise<unknown>;

export interface ShutdownOutcome {
  name: string;
  ok: boolean;
  error?: string;
}

export class ShutdownRegistry {
  private hooks: { name: string; fn: ShutdownHook }[] = [];
  private running: Promise<ShutdownOutcome[]> | undefined;

  /** Registers a hook; returns a function that removes it again. */
  add(name: string, fn: ShutdownHook): () => void {
    const hook = { name, fn };
    this.hooks.push(hook);
    return () => void (this.hooks = this.hooks.filter((h) => h !== hook));
  }

  /**
   * Runs the hooks one at a time, last registered first. A failing hook is reported and the rest
   * still run. Runs once: later calls return the first run's outcome.
   */
  run(logger?: Logger): Promise<ShutdownOutcome[]> {
    this.running ??= (async () => {
      const outcomes: ShutdownOutcome[] = [];
      for (const { name, fn } of [...this.hooks].reverse()) {
        try {
          await fn();
          outcomes.push({ name, ok: true });
          logger?.debug({ hook: name }, 'shutdown hook done');
        } catch (err) {
          const error = err instanceof Error ? err.message : String(err);
          outcomes.push({ name, ok: false, error });
          logger?.error({ hook: name, err }, 'shutdown hook failed');
        }
      }
      return outcomes;
    })();
    return this.running;
  }
}

/** The process-wide registry used by onShutdown / installSignalHandlers. */
export const shutdownRegistry = new ShutdownRegistry();

export function onShutdown(name: string, fn: ShutdownHook): () => void {
  return shutdownRegistry.add(name, fn);
}

export interface SignalHandlerOptions {
  /** Whole shutdown must finish within this (default 10 000 ms), else exit code 1. */
  deadlineMs?: number;
  signals?: readonly NodeJS.Signals[];
  registry?: ShutdownRegistry;
  /** Marked as shutting down before the hooks run, so /readyz fails while the service drains. */
  health?: { markShuttingDown(): void };
  /** Replaced in tests; default process.exit. */
  exit?: (code: number) => void;
}

let installed: (() => Promise<number>) | undefined;

/**
 * On SIGTERM/SIGINT runs the shutdown hooks (reverse order, with a deadline) and exits with 0,
 * or 1 when a hook failed or the deadline passed. Installing twice is a no-op; a second signal
 * during shutdown does not start a second run. Returns the function the signals trigger.
 */
export function installSignalHandlers(logger: Logger, options: SignalHandlerOptions = {}): () => Promise<number> {
  if (installed) return installed;
  const { deadlineMs = 10_000, signals = ['SIGTERM', 'SIGINT'], registry = shutdownRegistry, health, exit = (c: number) => process.exit(c) } = options;
  let done: Promise<number> | undefined;
  const shutdown = () =>
    (done ??= (async () => {
      logger.info({ deadlineMs }, 'shutting down');
      health?.markShuttingDown();
      let timer: NodeJS.Timeout | undefined;
      const deadline = new Promise<'timeout'>((resolve) => {
        timer = setTimeout(() => resolve('timeout'), deadlineMs);
        timer.unref();
      });
      const outcome = await Promise.race([registry.run(logger), deadline]);
      clearTimeout(timer);
      let code = 0;
      if (outcome === 'timeout') {
        logger.error({ deadlineMs }, 'shutdown deadline passed; exiting anyway');
        code = 1;
      } else if (outcome.some((o) => !o.ok)) code = 1;
      else logger.info('shutdown complete');
      logger.flush?.();
      exit(code);
      return code;
    })());
  for (const signal of signals) process.on(signal, () => void shutdown());
  installed = shutdown;
  return shutdown;
}
