// `starling send | inbox | watch` in process: on an in-process swarm for the message flow, and
// against a real closed port for the unreachable-network path.
import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import { createServer, Server } from 'http';
import { AddressInfo } from 'net';
import { tmpdir } from 'os';
import { join } from 'path';
import { eventually } from '@starling/platform';
import { ready } from '@starling/crypto';
import { MemorySwarm } from './support/memory-swarm';
import { EXIT_CODES } from '../src/cli/failure';
import { ClientError } from '../src/network/errors';
import type { SwarmAccess } from '../src/storage/swarm-access';
import { starling } from './support/run-cli';

describe('starling send, inbox and watch', () => {
  let root: string;
  let swarm: MemorySwarm;
  const as = (who: string, ...argv: string[]) => starling(['--home', join(root, who), '--seed-url', 'http://seed.invalid', ...argv], { swarm });
  const piped = (stdin: string, who: string, ...argv: string[]) =>
    starling(['--home', join(root, who), '--seed-url', 'http://seed.invalid', ...argv], { swarm, stdin });

  beforeAll(() => ready());
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'starling-cli-msg-'));
    swarm = new MemorySwarm();
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  async function account(who: string): Promise<string> {
    const { out } = await as(who, 'init', '--json');
    return JSON.parse(out).session_id;
  }

  it('sends, reads, replies, and a restored second device sees both sides', async () => {
    const alice = await account('alice');
    const bob = await account('bob');
    await as('alice', 'profile', '--name', 'Alice');

    const sent = await as('alice', 'send', bob, 'hello Bob');
    expect(sent.code).toBe(0);
    expect(sent.out).toMatch(new RegExp(`^Sent to ${bob} at \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\dZ \\(disappearing: off\\)$`, 'm'));

    const inbox = await as('bob', 'inbox');
    expect(inbox.code).toBe(0);
    expect(inbox.out).toMatch(new RegExp(`from ${alice} \\(Alice\\)\\n  hello Bob\\n`));
    expect((await as('bob', 'inbox')).out).toBe('No new messages.\n');

    await as('bob', 'send', alice, 'hi Alice', '--disappear', 'after-read', '--timer', '5m');
    const json = JSON.parse((await as('alice', 'inbox', '--json')).out);
    expect(json.messages).toEqual([expect.objectContaining({ direction: 'in', peer: bob, text: 'hi Alice', disappearing: { mode: 'after-read', timer_seconds: 300 } })]);

    const { out: seedHex } = await as('alice', 'link', '--json');
    expect((await piped(JSON.parse(seedHex).qr_text, 'alice-laptop', 'restore')).code).toBe(0);
    const laptop = await as('alice-laptop', 'inbox');
    expect(laptop.out).toMatch(new RegExp(`to ${bob}\\n  hello Bob\\n[\\s\\S]*from ${bob}.*\\[disappears after-read 5m\\]\\n  hi Alice\\n`));
    expect(JSON.parse((await as('alice-laptop', 'whoami', '--json')).out).name).toBe('Alice');
  });

  it('hides a blocked sender and says how many were dropped', async () => {
    await account('alice');
    const bob = await account('bob');
    const carol = await account('carol');
    expect((await as('bob', 'block', carol)).out).toMatch(/synced to your other devices/);
    await as('carol', 'send', bob, 'spam');
    const inbox = await as('bob', 'inbox');
    expect(inbox.out).toBe('No new messages.\n(dropped 1 from blocked senders)\n');
  });

  it('shows control characters in message text harmlessly', async () => {
    await account('alice');
    const bob = await account('bob');
    await as('alice', 'send', bob, 'look \u001b[2J here');
    expect((await as('bob', 'inbox')).out).toMatch(/look \uFFFD\[2J here/);
  });

  it('watch prints messages as they arrive and stops after the given number of polls', async () => {
    const alice = await account('alice');
    const bob = await account('bob');
    await as('alice', 'send', bob, 'one');
    const watched = await as('bob', 'watch', '--json', '--polls', '1');
    expect(watched.code).toBe(0);
    expect(watched.out.trim().split('\n').map((l) => JSON.parse(l).text)).toEqual(['one']);
    expect(JSON.parse(watched.out).peer).toBe(alice);
  });

  it('watch keeps polling until Ctrl-C, then exits 0', async () => {
    const bob = await account('bob');
    await account('alice');
    let out = '';
    const { runCli } = await import('../src/cli/program');
    const io = { out: (t: string) => (out += t), err: () => undefined };
    const watching = runCli(['--home', join(root, 'bob'), '--seed-url', 'http://seed.invalid', 'watch'], io, { env: {}, connect: async () => swarm });
    await eventually(() => expect(out).toMatch(/Watching for messages/));
    await as('alice', 'send', bob, 'while watching');
    await eventually(() => expect(out).toMatch(/\n {2}while watching\n/), 10_000);
    process.emit('SIGINT');
    expect(await watching).toBe(0);
  });

  it('send reads the message from standard input when no text is given, or with "-" beside files', async () => {
    await account('alice');
    const bob = await account('bob');
    expect((await piped('first line\nsecond line\n', 'alice', 'send', bob)).code).toBe(0);
    const file = join(root, 'note.txt');
    writeFileSync(file, 'attached');
    // With --file and no text, the terminal is not asked for text: a file alone is a message.
    const home = ['--home', join(root, 'alice'), '--seed-url', 'http://seed.invalid'];
    const filesOnly = await starling([...home, 'send', bob, '--file', file], { swarm, terminal: { answer: 'not read' } });
    expect(filesOnly.err).toBe('starling: no file server configured: pass --file-server <url> and --file-server-key <hex> before the command, or set STARLING_FILE_SERVER and STARLING_FILE_SERVER_KEY\n');
    // At a terminal, send says how to end the message.
    const typed = await starling([...home, 'send', bob], { swarm, terminal: { answer: 'typed\n' } });
    expect(typed.err).toBe('Type the message, then Ctrl-D on a line of its own to send it.\n');
    const texts = JSON.parse((await as('bob', 'inbox', '--json')).out).messages.map((m: { text: string }) => m.text);
    expect(texts).toEqual(['first line\nsecond line', 'typed']);
    expect((await piped('with a dash', 'alice', 'send', bob, '-')).code).toBe(0);
    expect(JSON.parse((await as('bob', 'inbox', '--json')).out).messages.map((m: { text: string }) => m.text)).toEqual(['with a dash']);
  });

  it('send refuses empty or oversized standard input before reaching the network', async () => {
    const bob = await account('bob');
    await account('alice');
    const before = swarm.calls.length;
    const empty = await piped(' \n', 'alice', 'send', bob);
    expect([empty.code, empty.err]).toEqual([EXIT_CODES.input, 'starling: the message is empty: give text, pipe it to standard input, or --file <path>\n']);
    const huge = await piped('x'.repeat(70_000), 'alice', 'send', bob, '--json');
    expect(huge.code).toBe(EXIT_CODES.input);
    expect(JSON.parse(huge.err).error.message).toMatch(/standard input holds more than 60002 bytes/);
    expect(swarm.calls.length).toBe(before);
  });

  it('watch reports a failed poll and goes on; under --json as a JSON warning', async () => {
    await account('bob');
    const { runCli } = await import('../src/cli/program');
    const down: SwarmAccess = {
      clock: swarm.clock,
      swarmOf: (pubkey) => swarm.swarmOf(pubkey),
      request: async () => {
        throw new ClientError('cannot reach the node: connection refused');
      },
    };
    for (const json of [false, true]) {
      let err = '';
      const argv = ['--home', join(root, 'bob'), '--seed-url', 'http://seed.invalid', 'watch', '--polls', '2', ...(json ? ['--json'] : [])];
      const code = await runCli(argv, { out: () => undefined, err: (t) => (err += t) }, { env: {}, connect: async () => down });
      expect(code).toBe(0);
      const lines = err.trim().split('\n');
      expect(lines).toHaveLength(2);
      if (json) expect(JSON.parse(lines[0]!)).toEqual({ warning: { kind: 'network', message: 'poll failed: cannot reach the node: connection refused' } });
      else expect(lines[0]).toBe('starling: poll failed: cannot reach the node: connection refused');
    }
  });

  it('takes the seed URL from STARLING_SEED', async () => {
    await starling(['--home', join(root, 'env'), 'init'], { swarm });
    const { code, out } = await starling(['--home', join(root, 'env'), 'inbox'], { swarm, env: { STARLING_SEED: 'http://seed.invalid' } });
    expect(code).toBe(0);
    expect(out).toBe('No new messages.\n');
  });
});

describe('starling network commands when the network is unreachable', () => {
  let root: string;
  let refusing: Server;
  let closedPort: number;
  beforeAll(async () => {
    // A port that was just ours and is now closed: connecting to it is refused.
    refusing = createServer();
    await new Promise<void>((resolve) => refusing.listen(0, '127.0.0.1', resolve));
    closedPort = (refusing.address() as AddressInfo).port;
    await new Promise<void>((resolve) => refusing.close(() => resolve()));
  });
  beforeEach(() => (root = mkdtempSync(join(tmpdir(), 'starling-cli-net-'))));
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it.each([['inbox'], ['send', '05d2ad010eeb72d72e561d9de7bd7b6989af77dcabffa03a5111a6c859ae5c3a72', 'hi'], ['watch', '--polls', '1']])(
    '%s fails in one line with the network exit code, and as JSON under --json',
    async (...argv) => {
      await starling(['--home', root, 'init']);
      const { code, err } = await starling(['--home', root, '--seed-url', `http://127.0.0.1:${closedPort}`, ...argv]);
      expect(code).toBe(EXIT_CODES.network);
      expect(err).toMatch(/^starling: cannot reach the seed/);
      expect(err.trim().split('\n')).toHaveLength(1);
      const json = await starling(['--home', root, '--seed-url', `http://127.0.0.1:${closedPort}`, ...argv, '--json']);
      expect(json.code).toBe(EXIT_CODES.network);
      expect(JSON.parse(json.err).error).toEqual({ kind: 'network', message: expect.stringMatching(/^cannot reach the seed/), exit_code: EXIT_CODES.network });
    },
  );

  it('block still saves locally, then reports that syncing failed', async () => {
    await starling(['--home', root, 'init']);
    const bob = '05d2ad010eeb72d72e561d9de7bd7b6989af77dcabffa03a5111a6c859ae5c3a72';
    const { code, err } = await starling(['--home', root, '--seed-url', `http://127.0.0.1:${closedPort}`, 'block', bob]);
    expect(code).toBe(EXIT_CODES.network);
    expect(err).toMatch(/saved on this device, but syncing failed: cannot reach/);
    expect(JSON.parse((await starling(['--home', root, 'contacts', '--json'])).out)[0].blocked).toBe(true);
  });
});
