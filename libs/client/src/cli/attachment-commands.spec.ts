// `send --file` and `inbox` with a file server in memory and a swarm that only records: what the
// command line checks before anything is sent, and what it prints. The whole path through onion
// paths and real servers is in test/e2e/attachments-onion.spec.ts.
import { mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { decodeMessage } from '../messaging/wire';
import { AccountStore } from '../account/account-store';
import { MemoryFileServer } from '../../test/support/memory-file-server';
import type { SwarmAccess } from '../storage/swarm-access';
import { EXIT_CODES } from './failure';
import { runCli } from './program';

const KEY = 'cd'.repeat(32);

describe('starling send --file', () => {
  let root: string;
  let files: MemoryFileServer;
  let swarmCalls: string[];
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'starling-cli-files-'));
    files = new MemoryFileServer();
    swarmCalls = [];
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  const recordingSwarm: SwarmAccess = {
    clock: { now: () => Date.now() },
    swarmOf: async () => {
      swarmCalls.push('swarmOf');
      throw new Error('the swarm must not be reached in these tests');
    },
    request: async (_pubkey, method) => {
      swarmCalls.push(method);
      throw new Error('the swarm must not be reached in these tests');
    },
  };

  async function run(...argv: string[]) {
    let out = '';
    let err = '';
    const deps = { env: {}, connect: async () => recordingSwarm, connectServers: async () => files };
    const code = await runCli(['--home', join(root, 'home'), '--seed-url', 'http://seed.invalid', ...argv], { out: (t) => (out += t), err: (t) => (err += t) }, deps);
    return { code, out, err };
  }

  async function withAccount(): Promise<string> {
    const { code, out } = await run('init', '--json');
    expect(code).toBe(0);
    return JSON.parse(out).session_id;
  }

  it.each([
    ['no file server configured', [] as string[], /no file server configured: pass --file-server <url> and --file-server-key <hex>/],
    ['a file server without its key', ['--file-server', 'http://127.0.0.1:8400'], /needs its key/],
    ['a malformed key', ['--file-server', 'http://127.0.0.1:8400', '--file-server-key', 'xyz'], /64 hex characters/],
  ])('refuses with %s, before anything is uploaded or sent', async (_name, options, message) => {
    const me = await withAccount();
    const path = join(root, 'a.txt');
    writeFileSync(path, 'hello');
    const { code, out, err } = await run(...options, 'send', me, '--file', path);
    expect({ code, out }).toEqual({ code: EXIT_CODES.input, out: '' });
    expect(err).toMatch(message);
    expect(err.trim().split('\n')).toHaveLength(1);
    expect(files.requests).toEqual([]);
    expect(swarmCalls).toEqual([]);
  });

  it('refuses a file over 10,000,000 bytes (and a missing one) before the first file is uploaded', async () => {
    const me = await withAccount();
    const small = join(root, 'small.txt');
    writeFileSync(small, 'fine');
    const big = join(root, 'big.bin');
    writeFileSync(big, '');
    truncateSync(big, 10_000_001);
    const fs = ['--file-server', 'http://127.0.0.1:8400', '--file-server-key', KEY];
    expect(await run(...fs, 'send', me, '--file', small, '--file', big)).toEqual({
      code: EXIT_CODES.input,
      out: '',
      err: 'starling: the file is 10,000,001 bytes; attachments can be at most 10,000,000 bytes\n',
    });
    expect(await run(...fs, 'send', me, '--file', join(root, 'nope.txt'))).toEqual({ code: EXIT_CODES.not_found, out: '', err: `starling: cannot read ${join(root, 'nope.txt')}: ENOENT\n` });
    expect(await run(...fs, 'send', me, '--file', root)).toEqual({ code: EXIT_CODES.input, out: '', err: `starling: ${root} is not a regular file\n` });
    expect(files.requests).toEqual([]);
    expect(swarmCalls).toEqual([]);
  });

  it('needs text or a file when there is no standard input to read', async () => {
    const me = await withAccount();
    expect(await run('send', me)).toEqual({ code: EXIT_CODES.input, out: '', err: 'starling: give the message text, or --file <path>\n' });
  });

  it('uploads with a phase line on stderr, remembers the server, and puts the pointer in the message', async () => {
    const me = await withAccount();
    const path = join(root, 'notes.txt');
    writeFileSync(path, 'attachment body');
    const stored: Uint8Array[] = [];
    const swarm: SwarmAccess = {
      clock: { now: () => 1_700_000_000_000 },
      swarmOf: async () => [],
      request: async (_pubkey, method, params) => {
        if (method === 'store') stored.push(Buffer.from(params().data as string, 'base64'));
        // Refuse the store: what matters here is the message the CLI built.
        return { status: 406, body: 'test swarm: not stored' };
      },
    };
    let err = '';
    const code = await runCli(
      ['--home', join(root, 'home'), '--seed-url', 'http://seed.invalid', '--file-server', 'http://127.0.0.1:8400/', '--file-server-key', KEY, 'send', me, 'see attached', '--file', path],
      { out: () => undefined, err: (t) => (err += t) },
      { env: {}, connect: async () => swarm, connectServers: async () => files },
    );
    // The swarm's refusal to store is a network failure: the upload itself went through.
    expect(code).toBe(EXIT_CODES.network);
    expect(err.split('\n')[0]).toBe('notes.txt: encrypt 15 B ... ok | upload 592 B ... ok | done');
    expect(JSON.parse(readFileSync(join(root, 'home', 'file-server.json'), 'utf8'))).toEqual({ url: 'http://127.0.0.1:8400', key: KEY });
    expect(stored).toHaveLength(1);
    const identity = new AccountStore(join(root, 'home')).identity();
    const message = decodeMessage(identity.x25519, stored[0]).content.dataMessage!;
    expect(message.body).toBe('see attached');
    expect(message.attachments).toHaveLength(1);
    expect(message.attachments![0]).toMatchObject({ fileName: 'notes.txt', contentType: 'text/plain', size: 15, url: `http://127.0.0.1:8400/file/${files.only().id}#p=${KEY}` });

    // Under --json, stderr holds only the JSON error: no phase lines.
    let jsonErr = '';
    const again = await runCli(
      ['--home', join(root, 'home'), '--seed-url', 'http://seed.invalid', 'send', me, 'see attached', '--file', path, '--json'],
      { out: () => undefined, err: (t) => (jsonErr += t) },
      { env: {}, connect: async () => swarm, connectServers: async () => files },
    );
    expect(again).toBe(EXIT_CODES.network);
    expect(jsonErr.trim().split('\n')).toHaveLength(1);
    expect(JSON.parse(jsonErr).error.kind).toBe('network');
  });
});
