// How a failed command ends: one line on stderr for people, or one JSON object under --json,
// and an exit code per kind of failure so that scripts can tell them apart (README "Exit codes").
import { CommanderError } from 'commander';
import { CryptoError } from '@starling/crypto';
import { ClientError, ClientErrorKind } from '../network/errors';
import { Io } from './output';

/** An error meant for the person at the terminal: printed as one line, no stack trace. */
export class UsageError extends Error {}

export type FailureKind = ClientErrorKind | 'internal';

export const EXIT_CODES: Readonly<Record<FailureKind, number>> = {
  input: 2,
  network: 3,
  not_found: 4,
  refused: 5,
  clock: 6,
  // sysexits' EX_SOFTWARE: a bug in starling, not something the person did.
  internal: 70,
};

export interface Failure {
  kind: FailureKind;
  message: string;
}

export function failureOf(err: unknown): Failure {
  if (err instanceof ClientError) return { kind: err.kind, message: err.message };
  if (err instanceof UsageError || err instanceof CryptoError) return { kind: 'input', message: err.message };
  // Commander's own messages ("error: unknown option '--x'") are about the command line.
  if (err instanceof CommanderError) return { kind: 'input', message: err.message.replace(/^error: /, '') };
  return { kind: 'internal', message: `unexpected failure: ${(err as Error)?.message ?? String(err)}` };
}

/** Prints the failure and returns the exit code. */
export function reportFailure(io: Io, json: boolean, failure: Failure): number {
  const exitCode = EXIT_CODES[failure.kind];
  if (json) io.err(JSON.stringify({ error: { kind: failure.kind, message: failure.message, exit_code: exitCode } }) + '\n');
  else io.err(`starling: ${failure.message}\n`);
  return exitCode;
}
