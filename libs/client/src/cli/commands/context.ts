// What every account command needs: where the data folder is, how to reach the network, and
// the printer. Global options (--home, --seed-url) come before the command name.
import { homedir } from 'os';
import { join } from 'path';
import { Command } from 'commander';
import { AccountStore } from '../../account/account-store';
import { FileServer, requireFileServer, resolveFileServer } from '../../attachments/file-server';
import type { ServerRequests } from '../../attachments/file-transfer';
import { ClientError } from '../../network/errors';
import { StarlingNetwork } from '../../network/network';
import { requirePushServer, resolvePushServer, type PushServer } from '../../push/push-server';
import { SwarmAccess } from '../../storage/swarm-access';
import { Io } from '../output';

export type Connect = (seedUrl: string, sessionId: string) => Promise<SwarmAccess>;

export const connectThroughOnion: Connect = async (seedUrl, sessionId) => (await StarlingNetwork.connect({ seedUrl, sessionId })).swarm;

/** How file transfers reach HTTP servers (file server); onion paths unless a test swaps it. */
export type ConnectServers = (seedUrl: string, sessionId: string) => Promise<ServerRequests>;

export interface CliDeps {
  /** How network commands reach the swarms; the real onion network unless a test swaps it. */
  connect?: Connect;
  /** How attachment commands reach the file server; the onion network unless a test swaps it. */
  connectServers?: ConnectServers;
  /** Environment for STARLING_HOME / STARLING_SEED (process.env unless a test gives its own). */
  env?: NodeJS.ProcessEnv;
}

export class CommandContext {
  /** One onion network per command, shared by its swarm requests and file transfers. */
  private network?: Promise<StarlingNetwork>;

  constructor(
    readonly io: Io,
    private readonly program: Command,
    private readonly deps: CliDeps,
  ) {}

  /** STARLING_* variables and the like (process.env unless a test gives its own). */
  get env(): NodeJS.ProcessEnv {
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
    return this.program.opts<{ seedUrl?: string }>().seedUrl ?? this.env.STARLING_SEED;
  }

  /** Connects to the network as the account in the data folder (needs --seed-url or STARLING_SEED). */
  async connect(store: AccountStore): Promise<SwarmAccess> {
    const seedUrl = this.requireSeedUrl();
    const sessionId = store.identity().sessionId;
    if (this.deps.connect) return this.deps.connect(seedUrl, sessionId);
    return (await this.onionNetwork(seedUrl, sessionId)).swarm;
  }

  /** Onion access to HTTP servers (file and push servers), on the same network as connect(). */
  async servers(store: AccountStore): Promise<ServerRequests> {
    const seedUrl = this.requireSeedUrl();
    const sessionId = store.identity().sessionId;
    if (this.deps.connectServers) return this.deps.connectServers(seedUrl, sessionId);
    return (await this.onionNetwork(seedUrl, sessionId)).onion;
  }

  /** --file-server/--file-server-key or STARLING_FILE_SERVER(_KEY), else the one stored in the data folder. */
  fileServer(required: true): FileServer;
  fileServer(required: false): FileServer | undefined;
  fileServer(required: boolean): FileServer | undefined {
    const opts = this.program.opts<{ fileServer?: string; fileServerKey?: string }>();
    const given = { url: opts.fileServer ?? this.env.STARLING_FILE_SERVER, key: opts.fileServerKey ?? this.env.STARLING_FILE_SERVER_KEY };
    return required ? requireFileServer(this.home(), given) : resolveFileServer(this.home(), given);
  }

  /** --push-server/--push-server-key or STARLING_PUSH_SERVER(_KEY), else the one stored in the data folder. */
  pushServer(required: true): PushServer;
  pushServer(required: false): PushServer | undefined;
  pushServer(required: boolean): PushServer | undefined {
    const opts = this.program.opts<{ pushServer?: string; pushServerKey?: string }>();
    const given = { url: opts.pushServer ?? this.env.STARLING_PUSH_SERVER, key: opts.pushServerKey ?? this.env.STARLING_PUSH_SERVER_KEY };
    return required ? requirePushServer(this.home(), given) : resolvePushServer(this.home(), given);
  }

  /** The seed URL, or bad input when none is given (checked before asking the person for anything). */
  requireSeedUrl(): string {
    const seedUrl = this.seedUrl();
    if (!seedUrl) throw new ClientError('no network given: pass --seed-url <url> before the command or set STARLING_SEED', 'input');
    return seedUrl;
  }

  private onionNetwork(seedUrl: string, sessionId: string): Promise<StarlingNetwork> {
    return (this.network ??= StarlingNetwork.connect({ seedUrl, sessionId }));
  }
}
