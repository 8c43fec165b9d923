// `starling init | restore | link | whoami | profile | block | unblock | contacts | disappearing`
// against a temporary data folder, including every bad-input path.
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { EXIT_CODES } from '../src/cli/failure';
import { CliOptions, starling } from './support/run-cli';

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
  const restore = (phrase: string, ...argv: string[]) => starling(['--home', home, 'restore', ...argv], { stdin: phrase });

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
    const restored = await starling(['--home', other, 'restore', '--json'], { stdin: `${phrase}\n` });
    expect(JSON.parse(restored.out)).toEqual({ session_id: sessionId });
  });

  it('init refuses to overwrite an existing account', async () => {
    await run('init');
    const before = readFileSync(join(home, 'identity'), 'utf8');
    const again = await run('init');
    expect(again.code).toBe(EXIT_CODES.input);
    expect(again.err).toMatch(/^starling: .*already holds an account/);
    expect(again.err.trim().split('\n')).toHaveLength(1);
    expect(readFileSync(join(home, 'identity'), 'utf8')).toBe(before);
  });

  it('restores from the phrase and from the QR text on standard input, and whoami shows the account', async () => {
    expect((await restore(ROW1.phrase)).code).toBe(0);
    const who = await run('whoami', '--json');
    expect(JSON.parse(who.out)).toMatchObject({ session_id: ROW1.sessionId, name: '', home });

    const viaQr = await starling(['--home', join(root, 'qr'), 'restore'], { stdin: `${ROW1.seed}\n` });
    expect(viaQr.out).toMatch(new RegExp(`^Session ID\\s+${ROW1.sessionId}$`, 'm'));
  });

  it('asks a person at a terminal for the phrase without echoing it, and takes it from STARLING_RECOVERY_PHRASE in scripts', async () => {
    const asked: { question: string; hidden: boolean }[] = [];
    const typed = await starling(['--home', home, 'restore', '--json'], { terminal: { answer: ` ${ROW1.phrase} `, asked } });
    expect(JSON.parse(typed.out)).toEqual({ session_id: ROW1.sessionId });
    expect(asked).toEqual([{ question: 'Recovery phrase (or the text of the QR code): ', hidden: true }]);

    const scripted = await starling(['--home', join(root, 'env'), 'restore', '--json'], { env: { STARLING_RECOVERY_PHRASE: ROW1.phrase } });
    expect(JSON.parse(scripted.out)).toEqual({ session_id: ROW1.sessionId });
  });

  it('never takes the phrase as an argument, where shell history would keep it', async () => {
    const { code, err } = await starling(['--home', home, 'restore', ...ROW1.phrase.split(' ')]);
    expect(code).toBe(EXIT_CODES.input);
    expect(err).toMatch(/too many arguments/);
    expect(err).not.toContain('buffet');
  });

  it('asks nothing when the data folder already holds an account', async () => {
    await restore(ROW1.phrase);
    const asked: { question: string; hidden: boolean }[] = [];
    const again = await starling(['--home', home, 'restore'], { terminal: { answer: ROW1.phrase, asked } });
    expect(again.code).toBe(EXIT_CODES.input);
    expect(again.err).toMatch(/already holds an account/);
    expect(asked).toEqual([]);
  });

  it('link shows the seed as a QR code plus the text it encodes', async () => {
    await restore(ROW1.phrase);
    const { code, out } = await run('link');
    expect(code).toBe(0);
    expect(out).toMatch(new RegExp(`^QR text\\s+${ROW1.seed}$`, 'm'));
    expect(out.split('\n').filter((l) => /[▀▄█]/.test(l)).length).toBeGreaterThan(10);
    expect(JSON.parse((await run('link', '--json')).out)).toEqual({ qr_text: ROW1.seed });
  });

  it('takes the data folder from STARLING_HOME when --home is not given', async () => {
    const { code } = await starling(['restore'], { env: { STARLING_HOME: home }, stdin: ROW1.phrase });
    expect(code).toBe(0);
    expect(JSON.parse((await run('whoami', '--json')).out).session_id).toBe(ROW1.sessionId);
  });

  it('sets the profile name locally and says it syncs later when no network is given', async () => {
    await restore(ROW1.phrase);
    const set = await run('profile', '--name', 'Alice');
    expect(set.code).toBe(0);
    expect(set.out).toMatch(/^Profile name\s+Alice$/m);
    expect(set.out).toMatch(/syncs with the next command/);
    expect(JSON.parse((await run('whoami', '--json')).out).name).toBe('Alice');
  });

  it('blocks, lists and unblocks a contact, and keeps a disappearing setting per conversation', async () => {
    await restore(ROW1.phrase);
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

  it.each<[string[], RegExp, CliOptions]>([
    [['restore'], /not in the recovery word list/, { stdin: ROW1.phrase.replace('amaze', 'qqqxyz') }],
    [['restore'], /checksum/i, { stdin: ROW1.phrase.replace(/faxed$/, 'amaze') }],
    [['restore'], /13 words/, { stdin: 'too few words' }],
    [['restore'], /no recovery phrase given: type it when asked, pipe it to standard input, or set STARLING_RECOVERY_PHRASE/, {}],
    [['restore'], /32 \(or 64\) hex/, { stdin: 'abc' }],
    [['restore', '--qr-text', ROW1.seed], /unknown option '--qr-text'/, {}],
    [['block', '05abc'], /66 hex/, {}],
    [['block', '15' + BOB.slice(2)], /prefix 15/, {}],
    [['disappearing', BOB, 'sometimes', '5m'], /off, after-send or after-read/, {}],
    [['disappearing', BOB, 'after-send'], /needs a timer/, {}],
    [['disappearing', BOB, 'after-send', '7m'], /not one the clients offer/, {}],
    [['profile', '--name', ' '], /1 to 100 bytes/, {}],
    [['send', BOB, 'hi'], /no network given: pass --seed-url <url>/, {}],
    [['send', 'bob', 'hi'], /66 hex/, {}],
    [['send', BOB, 'hi', '--timer', '5m'], /--timer needs --disappear/, {}],
  ])('refuses %j (%s) with one line and the bad-input exit code', async (argv, message, options) => {
    if (argv[0] !== 'restore') await restore(ROW1.phrase);
    const { code, err } = await starling(['--home', home, ...argv], options);
    expect(code).toBe(EXIT_CODES.input);
    expect(err).toMatch(message);
    expect(err.trim().split('\n')).toHaveLength(1);
    expect(err).not.toMatch(/\n\s+at /);
  });

  it('reports a damaged data file in one line', async () => {
    await restore(ROW1.phrase);
    writeFileSync(join(home, 'account.json'), '{oops');
    const { code, err } = await run('contacts');
    expect(code).toBe(EXIT_CODES.input);
    expect(err).toMatch(/account\.json is damaged/);
  });

  it('calls the network option --seed-url, so that --seed only ever means an account seed', async () => {
    const { code, out } = await starling(['--seed-url', 'http://127.0.0.1:1', 'keys', '--seed', ROW1.seed, '--json']);
    expect(code).toBe(0);
    expect(JSON.parse(out).session_id).toBe(ROW1.sessionId);
    const old = await starling(['--seed', 'http://127.0.0.1:1', 'whoami']);
    expect(old.code).toBe(EXIT_CODES.input);
    expect(old.err).toMatch(/unknown option '--seed'/);
  });

  it('says which data folder has no account, with the not-found exit code, as JSON under --json', async () => {
    const people = await run('whoami');
    expect(people.code).toBe(EXIT_CODES.not_found);
    expect(people.err).toBe(`starling: no account in ${home}: run "starling init" or "starling restore" first\n`);
    const json = await run('whoami', '--json');
    expect(json.code).toBe(EXIT_CODES.not_found);
    expect(json.out).toBe('');
    expect(JSON.parse(json.err)).toEqual({
      error: { kind: 'not_found', message: `no account in ${home}: run "starling init" or "starling restore" first`, exit_code: EXIT_CODES.not_found },
    });
  });

  it('reports bad input as JSON under --json, including what commander refuses', async () => {
    await restore(ROW1.phrase);
    const badId = await run('block', '05abc', '--json');
    expect(badId.code).toBe(EXIT_CODES.input);
    expect(JSON.parse(badId.err).error).toMatchObject({ kind: 'input', message: expect.stringMatching(/66 hex/), exit_code: EXIT_CODES.input });
    const unknown = await run('contacts', '--json', '--colour');
    expect(unknown.code).toBe(EXIT_CODES.input);
    expect(unknown.err.trim().split('\n')).toHaveLength(1);
    expect(JSON.parse(unknown.err)).toEqual({ error: { kind: 'input', message: "unknown option '--colour'", exit_code: EXIT_CODES.input } });
  });

  it('prints its version', async () => {
    const { version } = JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8'));
    for (const flag of ['--version', '-V']) expect(await starling([flag])).toEqual({ code: 0, out: `${version}\n`, err: '' });
  });
});
