import { spawn } from 'child_process';
import * as path from 'path';
import { Writable } from 'stream';
import { HealthChecks } from './health';
import { createLogger } from './logger';
import { eventually } from './testing';
import { ShutdownRegistry } from './shutdown';

const silent = () =>
  createLogger('test', { destination: new Writable({ write: (_c, _e, done) => done() }), level: 'debug' });

describe('ShutdownRegistry', () => {
  it('runs hooks last-registered first, continues past a failing hook, and runs once', async () => {
    const registry = new ShutdownRegistry();
    const order: string[] = [];
    registry.add('http server', () => void order.push('http server'));
    registry.add('grpc server', async () => {
      order.push('grpc server');
      throw new Error('already closed');
    });
    const remove = registry.add('never', () => void order.push('never'));
    registry.add('database', async () => void order.push('database'));
    remove();
    const outcome = await registry.run(silent());
    expect(order).toEqual(['database', 'grpc server', 'http server']);
    expect(outcome).toEqual([
      { name: 'database', ok: true },
      { name: 'grpc server', ok: false, error: 'already closed' },
      { name: 'http server', ok: true },
    ]);
    expect(await registry.run()).toBe(outcome);
    expect(order).toHaveLength(3);
  });
});

describe('installSignalHandlers', () => {
  // Each case loads a fresh copy of the module: installation is once per process by design.
  const freshModule = () => {
    let mod!: typeof import('./shutdown');
    jest.isolateModules(() => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- isolateModules loads synchronously
      mod = require('./shutdown');
    });
    return mod;
  };

  // jest gives each test file its own `process` object: emitting on it delivers the "signal" to
  // the handlers registered there. Real signals are sent to a real child process below.
  it('runs the hooks in reverse order on a signal, exits 0, and is idempotent', async () => {
    const { installSignalHandlers, onShutdown, shutdownRegistry } = freshModule();
    const order: string[] = [];
    onShutdown('server', () => void order.push('server'));
    onShutdown('database', () => void order.push('database'));
    const exits: number[] = [];
    const health = new HealthChecks();
    onShutdown('readiness seen', async () => void order.push(`ready=${(await health.readiness()).ok}`));
    const first = installSignalHandlers(silent(), { signals: ['SIGUSR2'], health, exit: (c) => void exits.push(c) });
    const second = installSignalHandlers(silent(), { signals: ['SIGUSR2'], exit: () => exits.push(99) });
    expect(second).toBe(first);
    process.emit('SIGUSR2', 'SIGUSR2');
    process.emit('SIGUSR2', 'SIGUSR2'); // a second signal does not start a second run
    await eventually(() => expect(exits).toEqual([0]));
    expect(order).toEqual(['ready=false', 'database', 'server']);
    expect(await shutdownRegistry.run()).toHaveLength(3);
    process.removeAllListeners('SIGUSR2');
  });

  it('exits 1 when the deadline passes while a hook hangs', async () => {
    const { installSignalHandlers, onShutdown } = freshModule();
    onShutdown('stuck drain', () => new Promise(() => undefined));
    const exits: number[] = [];
    const shutdown = installSignalHandlers(silent(), { signals: ['SIGUSR2'], deadlineMs: 50, exit: (c) => void exits.push(c) });
    expect(await shutdown()).toBe(1);
    expect(exits).toEqual([1]);
    process.removeAllListeners('SIGUSR2');
  });

  it('exits 1 when a hook fails', async () => {
    const { installSignalHandlers, onShutdown } = freshModule();
    onShutdown('bad', () => {
      throw new Error('nope');
    });
    const exits: number[] = [];
    const shutdown = installSignalHandlers(silent(), { signals: ['SIGUSR2'], exit: (c) => void exits.push(c) });
    expect(await shutdown()).toBe(1);
    expect(exits).toEqual([1]);
    process.removeAllListeners('SIGUSR2');
  });
});

describe('signal handling in a real process', () => {
  jest.setTimeout(30_000);
  const run = (signal: NodeJS.Signals, mode = '') =>
    new Promise<{ code: number | null; stdout: string }>((resolve, reject) => {
      const child = spawn(process.execPath, [path.join(__dirname, '../test/fixtures/shutdown-child.js'), mode], { stdio: ['ignore', 'pipe', 'inherit'] });
      let stdout = '';
      child.stdout.on('data', (d: Buffer) => {
        stdout += d.toString();
        if (stdout.includes('ready\n') && !child.killed) child.kill(signal);
      });
      child.on('error', reject);
      child.on('exit', (code) => resolve({ code, stdout }));
    });

  it.each(['SIGTERM', 'SIGINT'] as const)('%s runs the hooks in reverse order and exits 0', async (signal) => {
    const { code, stdout } = await run(signal);
    expect(code).toBe(0);
    const hooks = stdout.split('\n').filter((l) => l.startsWith('hook:'));
    expect(hooks).toEqual(['hook: database', 'hook: http server']);
    expect(stdout).toContain('"msg":"shutdown complete"');
  });

  it('exits 1 at the deadline when a hook hangs', async () => {
    const { code, stdout } = await run('SIGTERM', 'hang');
    expect(code).toBe(1);
    expect(stdout).toContain('shutdown deadline passed');
    expect(stdout).not.toContain('hook:'); // the hanging hook is the last registered, so it runs first
  });
});
