import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { ready } from '@starling/crypto';
import { AccountStore } from '../account/account-store';
import { ClientError } from '../network/errors';
import { changeConfigs, readConfigs } from '../sync/config-changes';
import { CommunityStore } from './community-store';
import { parseJoinUrl } from './join-url';

const KEY_A = 'aa'.repeat(32);
const KEY_B = 'bb'.repeat(32);
let home: string;

beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), 'starling-communities-'));
});
afterEach(() => rmSync(home, { recursive: true, force: true }));

function joinRoom(store: CommunityStore, url: string, name = 'Lobby') {
  const { server, room } = parseJoinUrl(url);
  return store.save({ server, room, name }, 1000);
}

describe('CommunityStore', () => {
  beforeAll(() => ready());

  it('saves joined rooms in communities.json (0600, no temporary file left) and finds them by token or URL', () => {
    const store = new CommunityStore(home);
    expect(store.list()).toEqual([]);
    joinRoom(store, `http://one.example:81/lobby?public_key=${KEY_A}`);
    joinRoom(store, `http://two.example/dev?public_key=${KEY_B}`, 'Dev');
    expect(readdirSync(home).sort()).toEqual(['account.json', 'communities.json']);
    // The list itself is synced in UserGroups, under the base URLs the apps use.
    expect(readConfigs(new AccountStore(home).readState()).groups.communities().map((c) => `${c.baseUrl}/${c.room}`)).toEqual([
      'http://one.example:81/lobby',
      'http://two.example/dev',
    ]);
    expect(statSync(join(home, 'communities.json')).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(join(home, 'communities.json'), 'utf8')).rooms).toHaveLength(2);
    expect(store.find('LOBBY')).toMatchObject({ room: 'lobby', name: 'Lobby', lastSeqno: 0, server: { host: 'one.example', port: 81 } });
    expect(store.find(`http://two.example/dev?public_key=${KEY_B}`)).toMatchObject({ name: 'Dev' });
  });

  it('keeps the last seqno, only ever moving it forward, also across a re-join', () => {
    const store = new CommunityStore(home);
    const room = joinRoom(store, `http://one.example/lobby?public_key=${KEY_A}`);
    store.setLastSeqno(room, 40);
    store.setLastSeqno(room, 12);
    expect(store.find('lobby').lastSeqno).toBe(40);
    joinRoom(store, `http://one.example/lobby?public_key=${KEY_A}`, 'Renamed');
    expect(store.list()).toEqual([expect.objectContaining({ name: 'Renamed', lastSeqno: 40, joinedAt: 1000 })]);
  });

  it('says which room is meant when it is not joined or the token is ambiguous', () => {
    const store = new CommunityStore(home);
    joinRoom(store, `http://one.example/lobby?public_key=${KEY_A}`);
    expect(() => store.find('dev')).toThrow(new ClientError('not joined to a room "dev": run "starling community join <url>" first'));
    expect(() => store.find(`http://one.example/lobby?public_key=${KEY_B}`)).toThrow(/^not joined to http:\/\/one.example\/lobby\?public_key=bbbb/);
    joinRoom(store, `http://two.example/lobby?public_key=${KEY_B}`);
    expect(() => store.find('lobby')).toThrow(/^several joined communities have a room "lobby": give its URL/);
  });

  it('lists a room joined on another device (from UserGroups) with nothing read yet', () => {
    const accounts = new AccountStore(home);
    const state = accounts.readState();
    changeConfigs(state, (c) => c.groups.setCommunity({ baseUrl: 'http://Three.Example:8080', room: 'Plaza', serverKey: Buffer.from(KEY_A, 'hex'), joinedAt: 1700000000 }));
    accounts.writeState(state);
    const store = new CommunityStore(home);
    expect(store.find('plaza')).toMatchObject({ room: 'plaza', lastSeqno: 0, joinedAt: 1700000000000, server: { baseUrl: 'http://three.example:8080', x25519: KEY_A } });
    store.setLastSeqno(store.find('plaza'), 7);
    expect(store.list()).toEqual([expect.objectContaining({ room: 'plaza', lastSeqno: 7 })]);
  });

  it('reports a damaged file instead of overwriting it', () => {
    writeFileSync(join(home, 'communities.json'), '{"rooms": 5}');
    expect(() => new CommunityStore(home).list()).toThrow(/communities.json is damaged/);
    writeFileSync(join(home, 'communities.json'), 'not json');
    expect(() => new CommunityStore(home).list()).toThrow(/communities.json is damaged/);
  });
});
