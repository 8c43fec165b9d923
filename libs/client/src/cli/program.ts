import { Command, CommanderError } from 'commander';
import { CryptoError, ready } from '@starling/crypto';
import {
  blindedIdsFromSeed,
  blindedIdsFromSessionId,
  keysFromPhrase,
  keysFromSeedHex,
  parseSeedHex,
  parseServerPubkey,
} from '../identity/keys';
import { Io, printRecord, processIo } from './output';
import { ClientError } from '../network/errors';
import { CliDeps, registerAccountLayerCommands } from './commands';

/** An error meant for the person at the terminal: printed as one line, no stack trace. */
export class UsageError extends Error {}

function buildProgram(io: Io, deps: CliDeps): Command {
  const program = new Command('starling')
    .description('Starling: a Session-protocol messenger client')
    .enablePositionalOptions()
    .exitOverride()
    .configureOutput({ writeOut: io.out, writeErr: io.err });

  program
    .command('keys')
    .description('show the Session ID and keys of an account, from its recovery phrase or its seed')
    .option('--phrase <words>', 'the 13-word recovery phrase')
    .option('--seed <hex>', 'the account seed (32 or 64 hex characters)')
    .option('--json', 'print JSON')
    .action((opts: { phrase?: string; seed?: string; json?: boolean }) => {
      if ((opts.phrase === undefined) === (opts.seed === undefined)) {
        throw new UsageError('give exactly one of --phrase or --seed');
      }
      const keys = opts.phrase !== undefined ? keysFromPhrase(opts.phrase) : keysFromSeedHex(opts.seed!);
      printRecord(
        io,
        !!opts.json,
        { session_id: keys.sessionId, ed25519_pubkey: keys.ed25519PublicKey, recovery_phrase: keys.recoveryPhrase },
        { session_id: 'Session ID', ed25519_pubkey: 'Ed25519 public key', recovery_phrase: 'Recovery phrase' },
      );
    });

  program
    .command('blind')
    .description("show the blinded ids (15 and 25) an account has on a community server")
    .argument('[session-id]', 'the Session ID (05...); the blind15 id then has two sign candidates')
    .option('--seed <hex>', 'the account seed instead of a Session ID: one exact blind15 id')
    .requiredOption('--server-pubkey <hex>', "the community server's X25519 public key (64 hex characters)")
    .option('--json', 'print JSON')
    .action((sessionId: string | undefined, opts: { seed?: string; serverPubkey: string; json?: boolean }) => {
      if ((sessionId === undefined) === (opts.seed === undefined)) {
        throw new UsageError('give exactly one of a Session ID or --seed');
      }
      const server = parseServerPubkey(opts.serverPubkey);
      const ids =
        sessionId !== undefined
          ? blindedIdsFromSessionId(sessionId, server)
          : blindedIdsFromSeed(parseSeedHex(opts.seed!), server);
      printRecord(
        io,
        !!opts.json,
        { blind15: ids.blind15, blind25: ids.blind25 },
        { blind15: 'Blinded id (15)', blind25: 'Blinded id (25)' },
      );
    });

  registerAccountLayerCommands(program, io, deps);
  return program;
}

/** Runs the command line and returns the process exit code; never throws. */
export async function runCli(argv: string[], io: Io = processIo, deps: CliDeps = {}): Promise<number> {
  await ready();
  const program = buildProgram(io, deps);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return 0;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode;
    if (err instanceof UsageError || err instanceof CryptoError || err instanceof ClientError) {
      io.err(`starling: ${err.message}\n`);
      return 1;
    }
    io.err(`starling: unexpected failure: ${(err as Error).message}\n`);
    return 70;
  }
}
