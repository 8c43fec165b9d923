// UserGroups and ConvoInfoVolatile, after libsession's test_config_user_groups.cpp and
// test_config_convo_info_volatile.cpp: canonical community keys, the stored layout, pruning of old
// read times, and two devices joining different rooms at once.
import { fromHex, ready } from '@starling/crypto';
import { bytesToBinary } from './bencode';
import { openConfig } from './config-envelope';
import { ConfigObject } from './config-object';
import { CONVO_INFO_VOLATILE, ConvoInfoVolatile, PRUNE_HIGH_MS } from './convo-info-volatile';
import { canonicalBaseUrl } from './community-url';
import { USER_GROUPS, UserGroups } from './user-groups';
import { loadZstd } from './zstd';

const SEED = fromHex('0123456789abcdef0123456789abcdef00000000000000000000000000000000');
const SERVER_KEY = fromHex('0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef');
const NOW = 1_700_000_000_000;
const REAL = '055000000000000000000000000000000000000000000000000000000000000000';
const GROUP = '030111101001001000101010011011010010101010111010000110100001210000';

describe('UserGroups and ConvoInfoVolatile', () => {
  beforeAll(async () => {
    await ready();
    await loadZstd();
  });

  it.each([
    ['http://Example.ORG:5678', 'http://example.org:5678'],
    ['HTTPS://example.org:443/', 'https://example.org'],
    ['http://127.0.0.1:8080', 'http://127.0.0.1:8080'],
  ])('canonicalizes the community URL %s', (given, canonical) => {
    expect(canonicalBaseUrl(given)).toBe(canonical);
  });

  it.each(['ftp://example.org', 'http://localhost', 'http://example.org/path', 'http://example.org:99999'])('refuses %s', (url) => {
    expect(() => canonicalBaseUrl(url)).toThrow(/Invalid community URL/);
  });

  it('stores a joined community under its canonical URL and lower-case room, keeping the written name', () => {
    const groups = new UserGroups(new ConfigObject(USER_GROUPS, SEED));
    groups.setCommunity({ baseUrl: 'http://Example.ORG:5678', room: 'SudokuRoom', serverKey: SERVER_KEY, joinedAt: 1680000000 });
    const push = groups.config.push();
    const plain = bytesToBinary(openConfig(USER_GROUPS, SEED, push.data)!);
    expect(plain).toContain(`1:od23:http://example.org:5678d1:#32:${bytesToBinary(SERVER_KEY)}1:Rd10:sudokuroomd1:ji1680000000e1:n10:SudokuRoomeeee`);
    const other = new UserGroups(new ConfigObject(USER_GROUPS, SEED));
    other.config.merge([{ hash: 'h', data: push.data }]);
    expect(other.communities()).toEqual([
      expect.objectContaining({ baseUrl: 'http://example.org:5678', room: 'SudokuRoom', serverKey: SERVER_KEY, joinedAt: 1680000000 }),
    ]);
    expect(other.community('http://example.org:5678', 'sudokuroom')).toBeDefined();
    expect(other.eraseCommunity('http://example.org:5678', 'SUDOKUROOM')).toBe(true);
    // The last room took its server (and key) along.
    expect(other.communities()).toEqual([]);
    expect(bytesToBinary(openConfig(USER_GROUPS, SEED, other.config.push().data)!)).toMatch(/^d1:#i2e1:&de/);
  });

  it('keeps a group with its admin seed only when the seed matches the group id', () => {
    const groups = new UserGroups(new ConfigObject(USER_GROUPS, SEED));
    groups.setGroup({ groupId: GROUP, name: 'Benders', adminSeed: new Uint8Array(32).fill(1), removedStatus: 0, priority: 0, joinedAt: 0, notifications: 'default', muteUntil: 0, invited: true });
    expect(groups.group(GROUP)).toMatchObject({ name: 'Benders', adminSeed: undefined, invited: true });
    expect(groups.config.field('g', Buffer.from(GROUP, 'hex').toString('latin1'), 'K').string()).toBe('');
  });

  it('merges two devices that joined different rooms at the same time', () => {
    const a = new UserGroups(new ConfigObject(USER_GROUPS, SEED));
    const b = new UserGroups(new ConfigObject(USER_GROUPS, SEED));
    a.setCommunity({ baseUrl: 'http://example.org', room: 'one', serverKey: SERVER_KEY });
    b.setCommunity({ baseUrl: 'http://example.net', room: 'two', serverKey: SERVER_KEY });
    const pa = a.config.push();
    const pb = b.config.push();
    a.config.confirmPushed(pa.seqno, 'ha');
    b.config.confirmPushed(pb.seqno, 'hb');
    a.config.merge([{ hash: 'hb', data: pb.data }]);
    b.config.merge([{ hash: 'ha', data: pa.data }]);
    for (const g of [a, b]) expect(g.communities().map((c) => `${c.baseUrl}/${c.room}`)).toEqual(['http://example.net/two', 'http://example.org/one']);
    expect(Buffer.from(a.config.push().data)).toEqual(Buffer.from(b.config.push().data));
  });

  it('records read times of one-to-one, community and group conversations, and prunes old ones before a push', () => {
    let now = NOW;
    const convos = new ConvoInfoVolatile(new ConfigObject(CONVO_INFO_VOLATILE, SEED), () => now);
    expect(convos.config.push().seqno).toBe(0);
    convos.setOneToOne(REAL, { lastRead: NOW, unread: false });
    convos.setCommunity('http://Example.ORG:5678', 'SudokuRoom', SERVER_KEY, { lastRead: NOW - 1000, unread: true });
    convos.setGroup(GROUP, { lastRead: NOW - 2000, unread: false });
    // Older than 30 days: not recorded at all.
    convos.setOneToOne('05' + '1'.repeat(64), { lastRead: NOW - 31 * 24 * 3600 * 1000, unread: false });
    expect(convos.all().map((c) => c.type)).toEqual(['one-to-one', 'community', 'group']);
    expect(convos.community('http://example.org:5678', 'sudokuroom')).toEqual({ lastRead: NOW - 1000, unread: true, serverKey: SERVER_KEY });

    const push = convos.push();
    expect(push.seqno).toBe(1);
    const other = new ConvoInfoVolatile(new ConfigObject(CONVO_INFO_VOLATILE, SEED), () => now);
    other.config.merge([{ hash: 'h1', data: push.data }]);
    expect(other.oneToOne(REAL)).toEqual({ lastRead: NOW, unread: false });

    now = NOW + PRUNE_HIGH_MS + 1;
    other.push();
    // Stale and read: gone; marked unread: kept however old; groups are not pruned (libsession).
    expect(other.all().map((c) => c.type)).toEqual(['community', 'group']);
  });
});
