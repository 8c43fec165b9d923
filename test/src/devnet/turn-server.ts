// A TURN server (coturn, Debian package `coturn`) for call tests on the local network: loopback
// only, TURN REST credentials from a shared secret (use-auth-secret), no TLS, a relay port range of
// its own. Loopback peers are allowed because every "peer" here is a relay address on 127.0.0.1.
import { spawn, type ChildProcess } from 'child_process';
import { randomBytes, randomInt } from 'crypto';
import { connect } from 'net';
import { eventually } from '@starling/platform';
import { freePort } from './ports';

export interface TurnServer {
  port: number;
  secret: string;
  /** turn: URIs for FILE_SERVER_TURN_URIS. */
  uris: string[];
  /** Everything coturn printed (allocation lines prove the relay was used). */
  log(): string;
  stop(): Promise<void>;
}

export async function startTurnServer(): Promise<TurnServer> {
  const port = await freePort();
  const secret = randomBytes(24).toString('hex');
  // A block of relay ports unlikely to meet another test's: coturn skips ports in use.
  const minPort = 50_000 + randomInt(40) * 200;
  const args = [
    '-n',
    '--listening-ip=127.0.0.1',
    '--relay-ip=127.0.0.1',
    `--listening-port=${port}`,
    `--min-port=${minPort}`,
    `--max-port=${minPort + 199}`,
    '--use-auth-secret',
    `--static-auth-secret=${secret}`,
    '--realm=starling.local',
    '--fingerprint',
    '--no-tls',
    '--no-dtls',
    '--no-cli',
    '--allow-loopback-peers',
    '--log-file=stdout',
    '--simple-log',
    '--verbose',
  ];
  const child: ChildProcess = spawn('turnserver', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const spawnError = new Promise<never>((_, reject) => child.once('error', (err) => reject(new Error(`turnserver did not start (apt-get install coturn): ${err.message}`))));
  spawnError.catch(() => undefined);
  await Promise.race([
    spawnError,
    eventually(
      () =>
        new Promise<void>((resolve, reject) => {
          const socket = connect(port, '127.0.0.1', () => {
            socket.destroy();
            resolve();
          });
          socket.once('error', reject);
        }),
      { timeoutMs: 15_000, intervalMs: 100 },
    ),
  ]);
  return {
    port,
    secret,
    uris: [`turn:127.0.0.1:${port}?transport=udp`],
    log: () => output,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
