// The recovery phrase (or the seed text of a QR code) for `restore` and `keys`: from a hidden
// prompt at a terminal, else from standard input, or from one named variable for scripts.
import { ClientError } from '../network/errors';
import { Io } from './output';

/** Scripts may hand the phrase over in this variable instead of on standard input. */
export const RECOVERY_PHRASE_ENV = 'STARLING_RECOVERY_PHRASE';

/** 13 words of at most 8 letters, or 64 hex characters, with room for stray whitespace. */
const MAX_SECRET_BYTES = 1024;

export async function readAccountSecret(io: Io, env: NodeJS.ProcessEnv, question: string): Promise<string> {
  const given = env[RECOVERY_PHRASE_ENV];
  if (given !== undefined && given.trim() !== '') return given.trim();
  const input = io.input;
  const text = !input ? '' : input.isTerminal ? await input.ask(question, { hidden: true }) : await input.readAll(MAX_SECRET_BYTES);
  if (text.trim() === '') {
    throw new ClientError(`no recovery phrase given: type it when asked, pipe it to standard input, or set ${RECOVERY_PHRASE_ENV}`, 'input');
  }
  return text.trim();
}

/** The QR code of "starling link" holds the seed as hex; a recovery phrase is words. */
export function isSeedText(text: string): boolean {
  return /^[0-9a-fA-F]+$/.test(text);
}
