// `starling group …` and groups in `inbox`, in process on the in-process swarm: the whole life of
// a group through the commands people type, and every bad input answered on one line.
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { ready } from '@starling/crypto';
import { EXIT_CODES } from '../src/cli/failure';
import { MemorySwarm } from './support/memory-swarm';
import { starling } from './support/run-cli';

describe('starling group', () => {
  let root: string;
  let swarm: MemorySwarm;
  const as = (who: string, ...argv: string[]) => starling(['--home', join(root, who), '--seed-url', 'http://seed.invalid', ...argv], { swarm });

  beforeAll(() => ready());
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'starling-cli-groups-'));
    swarm = new MemorySwarm();
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  async function account(who: string, name: string): Promise<string> {
    const { out } = await as(who, 'init', '--json');
    await as(who, 'profile', '--name', name);
    return JSON.parse(out).session_id;
  }

  it('create, accept from the inbox, send, read, info, remove, leave', async () => {
    await account('alice', 'Alice');
    const bob = await account('bob', 'Bob');
    const carol = await account('carol', 'Carol');

    const created = await as('alice', 'group', 'create', 'Book club', bob, carol, '--description', 'monthly');
    expect(created.code).toBe(0);
    const groupId = /^Created group "Book club" (03[0-9a-f]{64})$/m.exec(created.out)![1];
    expect(created.out).toContain(`Invited ${bob}`);

    const inbox = await as('bob', 'inbox');
    expect(inbox.out).toContain(`Invitation to group "Book club" ${groupId} from`);
    expect(inbox.out).toContain(`starling group accept ${groupId}`);
    expect((await as('bob', 'group', 'list')).out).toMatch(new RegExp(`^${groupId}  Book club  \\(member, invited\\)$`, 'm'));
    expect((await as('bob', 'group', 'accept', 'Book club')).code).toBe(0);
    await as('carol', 'inbox');
    await as('carol', 'group', 'accept', groupId);

    expect((await as('bob', 'group', 'send', 'Book club', 'chapter 3 is great')).out).toMatch(new RegExp(`^Sent to group ${groupId} at `));
    const read = await as('alice', 'group', 'read');
    expect(read.code).toBe(0);
    expect(read.out).toMatch(new RegExp(`\\[Book club\\] ${bob} \\(Bob\\)\\n  chapter 3 is great\\n`));
    expect(read.out).toMatch(/\(Bob\) joined the group/);
    // Groups show up in the plain inbox too.
    await as('alice', 'group', 'send', groupId, 'agreed');
    const carolInbox = JSON.parse((await as('carol', 'inbox', '--json')).out);
    expect(carolInbox.group_messages.filter((m: { event: string | null }) => !m.event).map((m: { text: string }) => m.text)).toEqual(['chapter 3 is great', 'agreed']);

    const info = JSON.parse((await as('alice', 'group', 'info', groupId, '--json')).out);
    expect(info).toMatchObject({ group_id: groupId, name: 'Book club', description: 'monthly', you: 'admin', disappearing: null });
    expect(info.members.map((m: { name: string; status: string }) => `${m.name}:${m.status}`).sort()).toEqual(['Alice:admin', 'Bob:member', 'Carol:member']);

    const set = await as('alice', 'group', 'info', groupId, '--disappear', 'after-send', '--timer', '1h', '--name', 'Book club 2');
    expect(set.out).toContain('disappearing messages: after-send 1h');
    expect(set.out).toMatch(/^Book club 2 {2}03/);

    const removed = await as('alice', 'group', 'remove', groupId, carol);
    expect(removed.out).toBe(`Removed ${carol}; keys rotated to generation 1, their access revoked\n`);
    await as('alice', 'group', 'send', groupId, 'secret plans');
    const carolAfter = await as('carol', 'group', 'read', groupId);
    expect(carolAfter.out).toContain(`You were removed from group ${groupId}`);
    expect(carolAfter.out).not.toContain('secret plans');
    expect((await as('bob', 'group', 'read', groupId)).out).toContain('secret plans');

    expect((await as('bob', 'group', 'leave', groupId)).out).toBe(`Left group ${groupId}\n`);
    expect((await as('bob', 'group', 'list')).out).toBe('No groups.\n');
    const aliceSees = await as('alice', 'group', 'read', groupId);
    expect(aliceSees.out).toMatch(/\(Bob\) left the group/);
    expect(JSON.parse((await as('alice', 'group', 'info', groupId, '--json')).out).members).toHaveLength(1);
  });

  it.each([
    [['group', 'create', ''], /a group needs a name/, EXIT_CODES.input],
    [['group', 'create', 'X', '05zz'], /66 hex characters|hex/, EXIT_CODES.input],
    [['group', 'send', 'nope', 'hi'], /no group called "nope"/, EXIT_CODES.not_found],
    [['group', 'send', '03' + 'ab'.repeat(32), 'hi'], /you are not in group/, EXIT_CODES.not_found],
    [['group', 'read', '12345'], /no group called "12345"/, EXIT_CODES.not_found],
    [['group', 'info', 'x', '--disappear', 'after-read', '--timer', '5m'], /only support after-send/, EXIT_CODES.input],
    [['group', 'info', 'x', '--timer', '5m'], /--timer needs --disappear/, EXIT_CODES.input],
    [['group', 'send', 'x'], /give the message text/, EXIT_CODES.input],
  ])('%j fails with one line and the exit code of its kind', async (argv, message, exitCode) => {
    await account('alice', 'Alice');
    const run = await as('alice', ...argv);
    expect(run.code).toBe(exitCode);
    expect(run.err).toMatch(message);
    expect(run.err.trim().split('\n')).toHaveLength(1);
  });

  it('watch prints each new group message as one JSON line, and inbox --json lists invitations', async () => {
    await account('alice', 'Alice');
    const bob = await account('bob', 'Bob');
    const groupId = /(03[0-9a-f]{64})/.exec((await as('alice', 'group', 'create', 'W', bob)).out)![1];
    const inbox = JSON.parse((await as('bob', 'inbox', '--json')).out);
    expect(inbox.group_invitations).toEqual([expect.objectContaining({ group_id: groupId, name: 'W', kind: 'invite', pending: true })]);
    await as('bob', 'group', 'accept', groupId);
    await as('alice', 'group', 'send', groupId, 'line one');
    await as('alice', 'group', 'send', groupId, 'line two');
    const watched = await as('bob', 'group', 'watch', 'W', '--json', '--polls', '1');
    expect(watched.code).toBe(0);
    const lines = watched.out.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.filter((l) => !l.event).map((l) => [l.group_id, l.text, l.direction])).toEqual([
      [groupId, 'line one', 'in'],
      [groupId, 'line two', 'in'],
    ]);
  });

  it('a member cannot remove or promote; the error says why', async () => {
    await account('alice', 'Alice');
    const bob = await account('bob', 'Bob');
    const created = await as('alice', 'group', 'create', 'G', bob);
    const groupId = /(03[0-9a-f]{64})/.exec(created.out)![1];
    await as('bob', 'inbox');
    await as('bob', 'group', 'accept', groupId);
    const refused = await as('bob', 'group', 'promote', groupId, bob);
    expect(refused).toMatchObject({ code: EXIT_CODES.input, err: expect.stringMatching(/your own Session ID/) });
    const alice = JSON.parse((await as('alice', 'whoami', '--json')).out).session_id;
    expect(await as('bob', 'group', 'remove', groupId, alice)).toMatchObject({ code: EXIT_CODES.refused, err: expect.stringMatching(/only an admin of the group can do that/) });
  });
});
