import { CommanderError } from 'commander';
import { CryptoError } from '@starling/crypto';
import { ClientError } from '../network/errors';
import { EXIT_CODES, failureOf, reportFailure, UsageError } from './failure';

describe('how a failed command ends', () => {
  it('gives every kind of failure its own exit code, none of them 0 or 1', () => {
    const codes = Object.values(EXIT_CODES);
    expect(new Set(codes).size).toBe(codes.length);
    expect(codes).not.toContain(0);
    expect(codes).not.toContain(1);
  });

  it.each([
    [new ClientError('no route', 'network'), 'network'],
    [new ClientError('gone', 'not_found'), 'not_found'],
    [new ClientError('banned', 'refused'), 'refused'],
    [new ClientError('clock off', 'clock'), 'clock'],
    [new ClientError('bad id', 'input'), 'input'],
    [new UsageError('give one'), 'input'],
    [new CryptoError('BAD_ENCODING', 'bad hex'), 'input'],
    [new CommanderError(1, 'commander.unknownOption', "error: unknown option '--x'"), 'input'],
    [new TypeError('x is undefined'), 'internal'],
  ])('%p is a failure of kind %s', (err, kind) => {
    expect(failureOf(err).kind).toBe(kind);
  });

  it('prints one line for people and one JSON object under --json, on stderr', () => {
    const lines: string[] = [];
    const io = { out: () => lines.push('stdout!'), err: (t: string) => lines.push(t) };
    expect(reportFailure(io, false, failureOf(new ClientError('the file is gone', 'not_found')))).toBe(EXIT_CODES.not_found);
    expect(reportFailure(io, true, failureOf(new CommanderError(1, 'commander.unknownOption', "error: unknown option '--x'")))).toBe(EXIT_CODES.input);
    expect(lines).toEqual([
      'starling: the file is gone\n',
      `{"error":{"kind":"input","message":"unknown option '--x'","exit_code":${EXIT_CODES.input}}}\n`,
    ]);
  });
});
