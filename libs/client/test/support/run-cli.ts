// Runs `starling` in process against a temporary data folder, optionally on an in-process swarm
// and in-process servers (file server, push server).
import type { ServerRequests } from '../../src/attachments/file-transfer';
import { runCli } from '../../src/cli/program';
import { MemorySwarm } from './memory-swarm';

export interface CliRun {
  code: number;
  out: string;
  err: string;
}

export async function starling(argv: string[], options: { swarm?: MemorySwarm; servers?: ServerRequests; env?: NodeJS.ProcessEnv } = {}): Promise<CliRun> {
  let out = '';
  let err = '';
  const swarm = options.swarm;
  const code = await runCli(
    argv,
    { out: (t) => (out += t), err: (t) => (err += t) },
    { env: options.env ?? {}, connect: swarm ? async () => swarm : undefined, connectServers: options.servers ? async () => options.servers! : undefined },
  );
  return { code, out, err };
}
