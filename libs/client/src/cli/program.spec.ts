import { EXIT_CODES } from './failure';
import { pipedInput } from './input';
import { runCli } from './program';

async function withInput(stdin: string, ...argv: string[]) {
  let out = '';
  let err = '';
  const code = await runCli(argv, { out: (t) => (out += t), err: (t) => (err += t), input: pipedInput(stdin) }, { env: {} });
  return { code, out, err };
}

const run = (...argv: string[]) => withInput('', ...argv);

// client.md 1.3 and 9.2
const ROW1 = {
  seed: '000102030405060708090a0b0c0d0e0f',
  phrase: 'amaze buffet cake entrance symptoms tiger lamb maze nestle python dusted faxed faxed',
  ed25519: '65adc5bfb14b5363f1b50e63a431f6fe08ff5d4e8d362c1e3d4c56c9d044bfb0',
  sessionId: '05ca03b8e369aeeb69fd260c2957d37b232db17a60db7a39bca9f0c0a6be135c1a',
};
const ROW3 = {
  phrase: 'vexed enjoy pigment films adept voted vexed enjoy pigment films adept voted adept',
  sessionId: '05d2ad010eeb72d72e561d9de7bd7b6989af77dcabffa03a5111a6c859ae5c3a72',
};
const BLINDING = {
  seed: 'fecd9a6034bc9aba273925dee7062b123334587c3c6257341afae2d7fe85e122',
  sessionId: '05fe94b7ad4b7f1cc1bb92671f1f0d243f226e115b33770465e82b503fc3e96e1f',
  server: 'abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789',
  blind15: '15b74ed205f1f931e1bb1291183778a9456b835937d923b0f2e248aa3a44c07844',
  blind25: '253b991dcbba44cfdb45d5b38880d95cff723309e3ece6fd01415ad5fa1dccc7ac',
};

describe('starling keys', () => {
  it('prints the Session ID, Ed25519 key and phrase of a seed as JSON', async () => {
    const { code, out } = await run('keys', '--seed', ROW1.seed, '--json');
    expect(code).toBe(0);
    expect(JSON.parse(out)).toEqual({
      session_id: ROW1.sessionId,
      ed25519_pubkey: ROW1.ed25519,
      recovery_phrase: ROW1.phrase,
    });
  });

  it('restores the same account from its phrase on standard input, for people by default', async () => {
    const { code, out } = await withInput(`${ROW3.phrase}\n`, 'keys');
    expect(code).toBe(0);
    expect(out).toMatch(new RegExp(`^Session ID\\s+${ROW3.sessionId}$`, 'm'));
    expect(out).toMatch(new RegExp(`^Recovery phrase\\s+${ROW3.phrase}$`, 'm'));
  });

  it('takes the seed text of a QR code on standard input too', async () => {
    const { out } = await withInput(ROW1.seed, 'keys', '--json');
    expect(JSON.parse(out).session_id).toBe(ROW1.sessionId);
  });

  it.each([
    ['keys', ROW1.phrase.replace('amaze', 'qqqxyz'), /not in the recovery word list/],
    ['keys', ROW1.phrase.split(' ').slice(0, 12).join(' '), /13 words/],
    ['keys', ROW1.phrase.replace(/faxed$/, 'amaze'), /checksum/i],
    ['keys', '', /no recovery phrase given/],
    ['keys --seed abc', '', /32 or 64 hex/],
    ['keys --seed ' + 'zz'.repeat(16), '', /hex/i],
    ['keys --phrase ' + ROW1.phrase, '', /unknown option '--phrase'/],
  ])('refuses `%s` with input %j: one clear line and the bad-input exit code', async (command, stdin, message) => {
    const { code, out, err } = await withInput(stdin, ...command.split(' '));
    expect(code).toBe(EXIT_CODES.input);
    expect(out).toBe('');
    expect(err).toMatch(message);
    expect(err.trim().split('\n')).toHaveLength(1);
  });
});

describe('starling blind', () => {
  it('gives both blind15 candidates and the blind25 id of a Session ID', async () => {
    const { code, out } = await run('blind', BLINDING.sessionId, '--server-pubkey', BLINDING.server, '--json');
    expect(code).toBe(0);
    const ids = JSON.parse(out);
    expect(ids.blind15).toHaveLength(2);
    expect(ids.blind15).toContain(BLINDING.blind15);
    expect(ids.blind25).toBe(BLINDING.blind25);
  });

  it('gives exactly one blind15 id from the seed, one of the two candidates', async () => {
    const { code, out } = await run('blind', '--seed', BLINDING.seed, '--server-pubkey', BLINDING.server, '--json');
    expect(code).toBe(0);
    expect(JSON.parse(out)).toEqual({ blind15: [BLINDING.blind15], blind25: BLINDING.blind25 });
  });

  it('prints labelled lines for people', async () => {
    const { out } = await run('blind', BLINDING.sessionId, '--server-pubkey', BLINDING.server);
    expect(out).toMatch(new RegExp(`^Blinded id \\(25\\)\\s+${BLINDING.blind25}$`, 'm'));
  });

  it.each([
    [['blind', '05' + '00'.repeat(31), '--server-pubkey', BLINDING.server], /66 hex/],
    [['blind', '15' + BLINDING.sessionId.slice(2), '--server-pubkey', BLINDING.server], /prefix 15/],
    [['blind', BLINDING.sessionId, '--server-pubkey', 'abcd'], /64 hex/],
    [['blind', '--server-pubkey', BLINDING.server], /exactly one of a Session ID or --seed/],
  ])('refuses %j with one clear line', async (argv, message) => {
    const { code, err } = await run(...argv);
    expect(code).toBe(EXIT_CODES.input);
    expect(err).toMatch(message);
  });

  it('reports a missing required option through commander with the bad-input exit code', async () => {
    const { code, err } = await run('blind', BLINDING.sessionId);
    expect(code).toBe(EXIT_CODES.input);
    expect(err).toMatch(/--server-pubkey/);
  });
});
