import { readFileSync } from 'fs';
import { join } from 'path';
import { Command, CommanderError } from 'commander';
import { ready } from '@starling/crypto';
import {
  blindedIdsFromSeed,
  blindedIdsFromSessionId,
  keysFromPhrase,
  keysFromSeedHex,
  parseSeedHex,
  parseServerPubkey,
} from '../identity/keys';
import { isSeedText, readAccountSecret } from './account-secret';
import { EXIT_CODES, failureOf, reportFailure, UsageError } from './failure';
import { Io, printRecord, processIo } from './output';
import { CliDeps, registerAccountLayerCommands } from './commands';

export { EXIT_CODES, UsageError } from './failure';

/** The version of this package; src/cli and dist/cli are both two levels below package.json. */
function packageVersion(): string {
  return (JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as { version: string }).version;
}

function buildProgram(io: Io, deps: CliDeps, json: boolean): Command {
  const program = new Command('starling')
    .description('Starling: a Session-protocol messenger client')
    .version(packageVersion(), '-V, --version', 'print the version of starling')
    .enablePositionalOptions()
    .exitOverride()
    // Under --json, runCli reports commander's errors as JSON instead.
    .configureOutput({ writeOut: io.out, writeErr: io.err, outputError: (text, write) => (json ? undefined : write(text)) });

  program
    .command('keys')
    .description('show the Session ID and keys of an account, from its recovery phrase (asked for, or read from standard input) or its seed')
    .option('--seed <hex>', 'the account seed (32 or 64 hex characters) instead of the phrase')
    .option('--json', 'print JSON')
    .action(async (opts: { seed?: string; json?: boolean }) => {
      let keys;
      if (opts.seed !== undefined) keys = keysFromSeedHex(opts.seed);
      else {
        const secret = await readAccountSecret(io, deps.env ?? process.env, 'Recovery phrase: ');
        keys = isSeedText(secret) ? keysFromSeedHex(secret) : keysFromPhrase(secret);
      }
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

/** `--json` anywhere before a `--` (every command has it): errors are then JSON too. */
function wantsJson(argv: readonly string[]): boolean {
  const end = argv.indexOf('--');
  return (end === -1 ? argv : argv.slice(0, end)).includes('--json');
}

/** Runs the command line and returns the process exit code (README "Exit codes"); never throws. */
export async function runCli(argv: string[], io: Io = processIo, deps: CliDeps = {}): Promise<number> {
  await ready();
  const json = wantsJson(argv);
  const program = buildProgram(io, deps, json);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return 0;
  } catch (err) {
    // --help and --version end through exitOverride with code 0.
    if (err instanceof CommanderError && err.exitCode === 0) return 0;
    // Commander has already printed its own line for people.
    if (err instanceof CommanderError && !json) return EXIT_CODES.input;
    return reportFailure(io, json, failureOf(err));
  }
}
