import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { fromHex, ready } from '@starling/crypto';
import { ClientError } from '../network/errors';
import { AccountStore, SEEN_HASHES_KEPT } from './account-store';

const SEED16 = fromHex('000102030405060708090a0b0c0d0e0f');
const SESSION_ID = '05ca03b8e369aeeb69fd260c2957d37b232db17a60db7a39bca9f0c0a6be135c1a';

describe('the local account folder', () => {
  let root: string;
  let home: string;
  beforeAll(() => ready());
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'starling-account-'));
    home = join(root, 'home');
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('keeps the 16-byte seed in a 0600 file inside a 0700 folder and derives the account from it', () => {
    const identity = new AccountStore(home).createIdentity(SEED16);
    expect(identity.sessionId).toBe(SESSION_ID);
    expect(statSync(join(home, 'identity')).mode & 0o777).toBe(0o600);
    expect(statSync(home).mode & 0o777).toBe(0o700);
    expect(readFileSync(join(home, 'identity'), 'utf8').trim()).toBe('000102030405060708090a0b0c0d0e0f');
    const reopened = new AccountStore(home);
    expect(reopened.identity().sessionId).toBe(SESSION_ID);
    expect(Buffer.from(reopened.accountSeed()).toString('hex')).toBe('000102030405060708090a0b0c0d0e0f');
  });

  it('refuses to replace an existing account', () => {
    new AccountStore(home).createIdentity(SEED16);
    expect(() => new AccountStore(home).createIdentity(new Uint8Array(16))).toThrow(/already holds an account/);
    expect(new AccountStore(home).identity().sessionId).toBe(SESSION_ID);
  });

  it('says how to create an account when there is none', () => {
    expect(() => new AccountStore(home).identity()).toThrow(/no account in .*starling init/);
  });

  it('reports a damaged seed file instead of inventing a new account', () => {
    new AccountStore(home).createIdentity(SEED16);
    writeFileSync(join(home, 'identity'), 'not hex\n');
    expect(() => new AccountStore(home).identity()).toThrow(ClientError);
    expect(() => new AccountStore(home).identity()).toThrow(/identity is damaged/);
  });

  it('writes state atomically: the new content, mode 0600, no temporary file left', () => {
    const store = new AccountStore(home);
    store.updateState((s) => {
      s.configs = { '2': 'QUxJQ0U=' };
    });
    expect(store.readState().configs).toEqual({ '2': 'QUxJQ0U=' });
    expect(statSync(join(home, 'account.json')).mode & 0o777).toBe(0o600);
    expect(readdirSync(home).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('leaves the old file intact when a write fails', () => {
    const store = new AccountStore(home);
    store.updateState((s) => {
      s.configs = { '2': 'before' };
    });
    // A directory where the temporary file goes makes the write fail before the rename.
    mkdirSync(join(home, `account.json.${process.pid}.tmp`));
    expect(() => store.updateState((s) => (s.configs['2'] = 'after'))).toThrow(/cannot write .*account\.json/);
    expect(store.readState().configs['2']).toBe('before');
  });

  it.each([
    ['not JSON', '{"profile": '],
    ['a JSON array', '[]'],
    ['a field of the wrong kind', '{"configs": "nobody"}'],
    ['an old contact list of the wrong kind', '{"contacts": {"contacts": "nobody"}}'],
  ])('reports a state file holding %s as damaged, naming the file', (_what, text) => {
    new AccountStore(home).createIdentity(SEED16);
    writeFileSync(join(home, 'account.json'), text);
    expect(() => new AccountStore(home).readState()).toThrow(/account\.json is damaged/);
  });

  it('remembers a bounded number of handled message hashes, dropping the oldest', () => {
    const store = new AccountStore(home);
    const seen = Array.from({ length: SEEN_HASHES_KEPT + 10 }, (_, i) => `h${i}`);
    store.writePollState({ lastHashes: { 'aa:0': 'h1' }, seen });
    const kept = store.readPollState().seen;
    expect(kept).toHaveLength(SEEN_HASHES_KEPT);
    expect(kept[0]).toBe('h10');
    expect(kept[kept.length - 1]).toBe(`h${SEEN_HASHES_KEPT + 9}`);
  });
});
