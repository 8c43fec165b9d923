// Every command prints either aligned "label  value" lines for people or one JSON object.
import { Input, processInput } from './input';

export interface Io {
  out(text: string): void;
  err(text: string): void;
  /** A person is watching (stdout is a terminal): live displays such as a call's status line. */
  terminal?: boolean;
  /** Keys typed, one at a time, when stdin is a terminal; returns a function that stops listening. */
  onKey?(listener: (key: string) => void): () => void;
  /** Standard input and the terminal; without it, a command that needs input fails with bad input. */
  input?: Input;
}

export const processIo: Io = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
  terminal: process.stdout.isTTY === true,
  onKey(listener) {
    const stdin = process.stdin;
    if (!stdin.isTTY) return () => undefined;
    const onData = (data: Buffer) => {
      for (const key of data.toString('utf8')) listener(key);
    };
    stdin.setRawMode(true);
    stdin.on('data', onData);
    stdin.resume();
    return () => {
      stdin.off('data', onData);
      stdin.setRawMode(false);
      stdin.pause();
    };
  },
  input: processInput,
};

export function printRecord(io: Io, json: boolean, record: Record<string, string | string[]>, labels: Record<string, string>): void {
  if (json) {
    io.out(JSON.stringify(record) + '\n');
    return;
  }
  const width = Math.max(...Object.values(labels).map((l) => l.length));
  for (const [key, value] of Object.entries(record)) {
    const values = Array.isArray(value) ? value : [value];
    values.forEach((v, i) => io.out(`${(i === 0 ? labels[key] : '').padEnd(width)}  ${v}\n`));
  }
}
