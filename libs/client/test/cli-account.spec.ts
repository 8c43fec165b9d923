// `starling init | restore | link | whoami | profile | block | unblock | contacts | disappearing`
// against a temporary data folder, including every bad-input path.
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { starling } from './support/run-cli';

const ROW1 = {
  seed: '000102030405060708090a0b0c0d0e0f',
  phrase: 'amaze buffet cake entrance symptoms tiger lamb maze nestle python dusted faxed faxed',
  sessionId: '05ca03b8e369aeeb69fd260c2957d37b232db17a60db7a39bca9f0c0a6be135c1a',
};
const BOB = '05d2ad010eeb72d72e561d9de7bd7b6989af77dcabffa03a5111a6c859ae5c3a72';

describe('starling account commands', () => {
  let root: string;
  let home: string;
  const run = (...argv: string[]) => starling(['--home', home, ...argv]);

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'starling-cli-'));
    home = join(root, 'home');
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('init creates an account, shows its Session ID and 13 words with a warning, and keeps the seed private', async () => {
    const { code, out } = await run('init');
    expect(code).toBe(0);
    const sessionId = /^Session ID\s+(05[0-9a-f]{64})$/m.exec(out)?.[1];
    const phrase = /^Recovery phrase\s+(.+)$/m.exec(out)?.[1];
    expect(sessionId).toBeDefined();
    expect(phrase!.split(' ')).toHaveLength(13);
    expect(out).toMatch(/Write the recovery phrase down/);
    expect(statSync(join(home, 'identity')).mode & 0o777).toBe(0o600);
    // The phrase restores the same account elsewhere.
    const other = join(root, 'other');
    const restored = await starling(['--home', other, 'restore', phrase!, '--json']);
    expect(JSON.parse(restored.out)).toEqual({ session_id: sessionId });
  });

  it('init refuses to overwrite an existing account', async () => {
    await run('init');
    const before = readFileSync(join(home, 'identity'), 'utf8');
    const again = await run('init');
    expect(again.code).toBe(1);
    expect(again.err).toMatch(/^starling: .*already holds an account/);
    expect(again.err.trim().split('\n')).toHaveLength(1);
    expect(readFileSync(join(home, 'identity'), 'utf8')).toBe(before);
  });

  it('restores from the phrase and from the QR text, and whoami shows the account', async () => {
    expect((await run('restore', ROW1.phrase)).code).toBe(0);
    const who = await run('whoami', '--json');
    expect(JSON.parse(who.out)).toMatchObject({ session_id: ROW1.sessionId, name: '', home });

    const viaQr = await starling(['--home', join(root, 'qr'), 'restore', '--qr-text', ROW1.seed]);
    expect(viaQr.out).toMatch(new RegExp(`^Session ID\\s+${ROW1.sessionId}$`, 'm'));
  });

  it('link shows the seed as a QR code plus the text it encodes', async () => {
    await run('restore', ROW1.phrase);
    const { code, out } = await run('link');
    expect(code).toBe(0);
    expect(out).toMatch(new RegExp(`^QR text\\s+${ROW1.seed}$`, 'm'));
    expect(out.split('\n').filter((l) => /[▀▄█]/.test(l)).length).toBeGreaterThan(10);
    expect(JSON.parse((await run('link', '--json')).out)).toEqual({ qr_text: ROW1.seed });
  });

  it('takes the data folder from STARLING_HOME when --home is not given', async () => {
    const { code } = await starling(['restore', ROW1.phrase], { env: { STARLING_HOME: home } });
    expect(code).toBe(0);
    expect(JSON.parse((await run('whoami', '--json')).out).session_id).toBe(ROW1.sessionId);
  });

  it('sets the profile name locally and says it syncs later when no network is given', async () => {
    await run('restore', ROW1.phrase);
    const set = await run('profile', '--name', 'Alice');
    expect(set.code).toBe(0);
    expect(set.out).toMatch(/^Profile name\s+Alice$/m);
    expect(set.out).toMatch(/syncs with the next command/);
    expect(JSON.parse((await run('whoami', '--json')).out).name).toBe('Alice');
  });

  it('blocks, lists and unblocks a contact, and keeps a disappearing setting per conversation', async () => {
    await run('restore', ROW1.phrase);
    expect((await run('block', BOB)).out).toMatch(/^Blocked: 05d2/);
    expect((await run('block', BOB)).out).toMatch(/^Already blocked/);
    expect((await run('disappearing', BOB, 'after-read', '5m')).out).toMatch(/after-read 5m/);
    expect(JSON.parse((await run('contacts', '--json')).out)).toEqual([
      { session_id: BOB, name: null, nickname: null, approved: false, approved_me: false, blocked: true, disappearing: 'after-read 5m' },
    ]);
    expect((await run('contacts')).out).toBe(`${BOB}  [blocked, disappearing after-read 5m]\n`);
    expect(JSON.parse((await run('nickname', BOB, 'Bobby', '--json')).out)).toEqual({ session_id: BOB, nickname: 'Bobby', changed: true });
    expect((await run('contacts')).out).toBe(`${BOB}  Bobby  [blocked, disappearing after-read 5m]\n`);
    expect((await run('nickname', BOB, 'x'.repeat(101))).err).toMatch(/at most 100 bytes/);
    await run('nickname', BOB, '');
    await run('unblock', BOB);
    await run('disappearing', BOB, 'off');
    expect(JSON.parse((await run('contacts', '--json')).out)).toEqual([
      { session_id: BOB, name: null, nickname: null, approved: false, approved_me: false, blocked: false, disappearing: 'off' },
    ]);
  });

  it.each([
    [['whoami'], /no account in .*starling init/],
    [['restore', ROW1.phrase.replace('amaze', 'qqqxyz')], /not in the recovery word list/],
    [['restore', ROW1.phrase.replace(/faxed$/, 'amaze')], /checksum/i],
    [['restore', 'too few words'], /13 words/],
    [['restore'], /exactly one of a recovery phrase or --qr-text/],
    [['restore', '--qr-text', 'xyz'], /32 \(or 64\) hex/],
    [['block', '05abc'], /66 hex/],
    [['block', '15' + BOB.slice(2)], /prefix 15/],
    [['disappearing', BOB, 'sometimes', '5m'], /off, after-send or after-read/],
    [['disappearing', BOB, 'after-send'], /needs a timer/],
    [['disappearing', BOB, 'after-send', '7m'], /not one the clients offer/],
    [['profile', '--name', ' '], /1 to 100 bytes/],
    [['send', BOB, 'hi'], /no network given/],
    [['send', 'bob', 'hi'], /66 hex/],
    [['send', BOB, 'hi', '--timer', '5m'], /--timer needs --disappear/],
  ])('refuses %j with one line and exit code 1', async (argv, message) => {
    if (argv[0] !== 'whoami' && argv[0] !== 'restore') await run('restore', ROW1.phrase);
    const { code, err } = await run(...argv);
    expect(code).toBe(1);
    expect(err).toMatch(message);
    expect(err.trim().split('\n')).toHaveLength(1);
    expect(err).not.toMatch(/\n\s+at /);
  });

  it('reports a damaged data file in one line', async () => {
    await run('restore', ROW1.phrase);
    writeFileSync(join(home, 'account.json'), '{oops');
    const { code, err } = await run('contacts');
    expect(code).toBe(1);
    expect(err).toMatch(/account\.json is damaged/);
  });

  it('keeps `keys --seed HEX` working after a global --seed URL', async () => {
    const { code, out } = await starling(['--seed', 'http://127.0.0.1:1', 'keys', '--seed', ROW1.seed, '--json']);
    expect(code).toBe(0);
    expect(JSON.parse(out).session_id).toBe(ROW1.sessionId);
  });
});
