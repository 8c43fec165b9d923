// Runs `starling` in process against a temporary data folder, optionally on an in-process swarm
// and in-process servers (file server, push server).
import { Input, pipedInput } from '../../src/cli/input';
import type { ServerRequests } from '../../src/network/known-server';
import { runCli } from '../../src/cli/program';
import { MemorySwarm } from './memory-swarm';

export interface CliRun {
  code: number;
  out: string;
  err: string;
}

export interface CliOptions {
  swarm?: MemorySwarm;
  servers?: ServerRequests;
  env?: NodeJS.ProcessEnv;
  /** Standard input as a script pipes it (default: empty, as with `< /dev/null`). */
  stdin?: string;
  /** A person at a terminal instead, who answers every question with this. */
  terminal?: { answer: string; asked?: { question: string; hidden: boolean }[] };
}

export async function starling(argv: string[], options: CliOptions = {}): Promise<CliRun> {
  let out = '';
  let err = '';
  const swarm = options.swarm;
  const code = await runCli(
    argv,
    { out: (t) => (out += t), err: (t) => (err += t), input: options.terminal ? terminalInput(options.terminal) : pipedInput(options.stdin ?? '') },
    { env: options.env ?? {}, connect: swarm ? async () => swarm : undefined, connectServers: options.servers ? async () => options.servers! : undefined },
  );
  return { code, out, err };
}

/** Someone typing at a terminal: every question gets the answer, and is recorded. */
function terminalInput(terminal: NonNullable<CliOptions['terminal']>): Input {
  return {
    isTerminal: true,
    readAll: async () => terminal.answer,
    ask: async (question, { hidden }) => {
      terminal.asked?.push({ question, hidden });
      return terminal.answer;
    },
  };
}
