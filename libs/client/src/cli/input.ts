// What `starling` reads from the person or the script that runs it: standard input to its end,
// or an answer typed at a prompt. Secrets (the recovery phrase) come this way and never as
// arguments, which land in shell history and in every `ps` listing.
import { read } from 'read';
import { ClientError } from '../network/errors';

export interface Input {
  /** True when standard input is a terminal a person types into. */
  readonly isTerminal: boolean;
  /** Standard input up to its end; more than maxBytes is bad input. */
  readAll(maxBytes: number): Promise<string>;
  /** Asks on the terminal (the question goes to stderr, so stdout stays the command's output). */
  ask(question: string, options: { hidden: boolean }): Promise<string>;
}

export const processInput: Input = {
  get isTerminal() {
    return process.stdin.isTTY === true;
  },
  async readAll(maxBytes) {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of process.stdin as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > maxBytes) {
        process.stdin.destroy();
        throw new ClientError(`standard input holds more than ${maxBytes} bytes`, 'input');
      }
      chunks.push(chunk);
    }
    return Buffer.concat(chunks).toString('utf8');
  },
  async ask(question, { hidden }) {
    try {
      return await read({ prompt: question, silent: hidden, replace: hidden ? '*' : undefined, input: process.stdin, output: process.stderr });
    } catch (err) {
      // read rejects with "canceled" on Ctrl-C and Ctrl-D.
      throw new ClientError(`no answer given (${(err as Error).message})`, 'input');
    }
  },
};

/** Input for scripts and tests: the given text is standard input, and nobody is at a terminal. */
export function pipedInput(text: string): Input {
  return {
    isTerminal: false,
    readAll: async (maxBytes) => {
      if (Buffer.byteLength(text, 'utf8') > maxBytes) throw new ClientError(`standard input holds more than ${maxBytes} bytes`, 'input');
      return text;
    },
    ask: async () => {
      throw new ClientError('standard input is not a terminal', 'input');
    },
  };
}
