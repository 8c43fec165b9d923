// What every account command needs: where the data folder is, how to reach the network, and
// the printer. Global options (--home, --seed) come before the command name.
import { homedir } from 'os';
import { join } from 'path';
import { Command } from 'commander';
import { AccountStore } from '../../account/account-store';
import { ClientError } from '../../network/errors';
import { StarlingNetwork } from '../../network/network';
import { SwarmAccess } from '../../storage/swarm-access';
import { Io } from '../output';

export type Connect = (seedUrl: string, sessionId: string) => Promise<SwarmAccess>;

export const connectThroughOnion: Connect = async (seedUrl, sessionId) => (await StarlingNetwork.connect({ seedUrl, sessionId })).swarm;

export interface CliDeps {
  /** How network commands reach the swarms; the real onion network unless a test swaps it. */
  connect?: Connect;
  /** Environment for STARLING_HOME / STARLING_SEED (process.env unless a test gives its own). */
  env?: NodeJS.ProcessEnv;
}

export class CommandContext {
  constructor(
    readonly io: Io,
    private readonly program: Command,
    private readonly deps: CliDeps,
  ) {}

  private get env(): NodeJS.ProcessEnv {
    return this.deps.env ?? process.env;
  }

  home(): string {
    const opts = this.program.opts<{ home?: string }>();
    return opts.home ?? this.env.STARLING_HOME ?? join(homedir(), '.starling');
  }

  store(): AccountStore {
    return new AccountStore(this.home());
  }

  seedUrl(): string | undefined {
    return this.program.opts<{ seed?: string }>().seed ?? this.env.STARLING_SEED;
  }

  /** Connects to the network as the account in the data folder (needs --seed or STARLING_SEED). */
  async connect(store: AccountStore): Promise<SwarmAccess> {
    const seedUrl = this.seedUrl();
    if (!seedUrl) throw new ClientError('no network given: pass --seed <url> before the command or set STARLING_SEED', 'input');
    return (this.deps.connect ?? connectThroughOnion)(seedUrl, store.identity().sessionId);
  }
}
