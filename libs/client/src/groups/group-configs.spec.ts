// Group Info and Members configs against libsession: the messages the harness pushed along with
// each key generation (vectors/), byte for byte; then libsession's own scenarios as tests —
// test_group_info.cpp "Group Info settings", test_group_members.cpp "Group Members" and
// test_group_keys.cpp "Group Keys promotion".
import { ed25519KeyPairFromSeed, fromHex, ready, toHex } from '@starling/crypto';
import { loadZstd } from '../config/zstd';
import vectors from './vectors/libsession-groups.json';
import { GroupConfigs } from './group-configs';
import { GroupInfo } from './group-info';
import { GroupMember, GroupMembers, REMOVED_MEMBER, REMOVED_MEMBER_AND_MESSAGES, STATUS_FAILED, STATUS_NOT_SENT, STATUS_SENT } from './group-members';
import { ADMIN_SEED, GROUP_SEED, MEMBER_SEEDS } from './test-keys';

const T0 = 1700000000000;
const V = vectors as Record<string, string>;
const secretOf = (seedHex: string) => ed25519KeyPairFromSeed(fromHex(seedHex)).secretKey;
const group = () => ed25519KeyPairFromSeed(fromHex(GROUP_SEED));
const memberIds = () => [0, 1, 2, 3].map((i) => V[`member${i}_session_id`]);
const key = (c: string) => fromHex(c.repeat(64));

beforeAll(async () => {
  await ready();
  await loadZstd();
});

describe('Info and Members pushed with each key generation (libsession harness)', () => {
  function replay() {
    const g = new GroupConfigs(secretOf(ADMIN_SEED), group().publicKey, group().secretKey);
    g.loadKeyMessage('keyhash0', g.rekey(), T0);
    g.members.set({ ...g.members.getOrConstruct(V.admin_session_id), admin: true, name: 'Admin1' });
    memberIds().forEach((id, i) => {
      const m = { ...g.members.getOrConstruct(id), name: `Member${i}` };
      if (i === 0) Object.assign(m, { inviteStatus: STATUS_SENT, supplement: true });
      if (i === 1) Object.assign(m, { inviteStatus: STATUS_FAILED, picture: { url: 'http://example.com/member1.jpg', key: key('a') } });
      if (i === 3) Object.assign(m, { admin: true, inviteStatus: 0, promotionStatus: STATUS_SENT });
      g.members.set(m);
    });
    const gen1 = g.rekey();
    g.info.setName('tomatosauce');
    g.info.setDescription('this is where you go to play in the tomato sauce, I guess');
    g.info.setCreatedSeconds(1680064059);
    g.info.setExpiryTimerSeconds(3600);
    g.info.setPicture({ url: 'http://example.com/group.png', key: key('b') });
    const info1 = g.info.config.push();
    g.info.config.confirmPushed(info1.seqno, 'infohash1');
    const members1 = g.members.config.push();
    g.members.config.confirmPushed(members1.seqno, 'memhash1');
    g.loadKeyMessage('keyhash1', gen1, T0 + 1000);
    g.members.erase(memberIds()[3]);
    g.members.erase(memberIds()[2]);
    const gen2 = g.rekey();
    const info2 = g.info.config.push();
    const members2 = g.members.config.push();
    return { g, gen1, gen2, info1, members1, info2, members2 };
  }

  it.each([
    ['Info, generation 1', 'info1', 'info_gen1'],
    ['Members, generation 1', 'members1', 'members_gen1'],
    ['Info, generation 2 (re-encrypted after the removal)', 'info2', 'info_gen2'],
    ['Members, generation 2', 'members2', 'members_gen2'],
  ] as const)('%s', (_what, field, vector) => {
    const r = replay();
    expect(toHex(r[field].data)).toBe(V[vector]);
    expect(String(r[field].seqno)).toBe(V[`${vector}_seqno`]);
    expect(toHex(r.gen2)).toBe(V.keys_gen2);
  });

  it('generation 2 makes the first Info message obsolete', () => {
    expect(replay().info2.obsolete).toEqual(['infohash1']);
  });

  it('member0 reads libsession\'s Info and Members with the keys it holds; a removed member cannot', () => {
    const m = new GroupConfigs(secretOf(MEMBER_SEEDS[0]), group().publicKey);
    for (const [hash, k, t] of [['keyhash0', V.keys_gen0, T0], ['keyhash1', V.keys_gen1, T0 + 1000], ['keyhash2', V.keys_gen2, T0 + 2000]] as const) m.loadKeyMessage(hash, fromHex(k), t);
    expect(m.info.config.merge([{ hash: 'infohash2', data: fromHex(V.info_gen2) }])).toEqual(['infohash2']);
    expect(m.info.name).toBe(V.member0_info_name);
    expect(m.info).toMatchObject({ description: 'this is where you go to play in the tomato sauce, I guess', expiryTimerSeconds: 3600, createdSeconds: 1680064059 });
    expect(m.info.picture).toEqual({ url: 'http://example.com/group.png', key: key('b') });
    expect(m.members.config.merge([{ hash: 'memhash1', data: fromHex(V.members_gen1) }])).toEqual(['memhash1']);
    expect(m.members.all().map((x) => [x.sessionId, x.name, x.admin, x.inviteStatus, x.supplement, x.promotionStatus])).toEqual(
      [
        [V.member1_session_id, 'Member1', false, STATUS_FAILED, false, 0],
        [V.member3_session_id, 'Member3', true, 0, false, STATUS_SENT],
        [V.member2_session_id, 'Member2', false, STATUS_NOT_SENT, false, 0],
        [V.member0_session_id, 'Member0', false, STATUS_SENT, true, 0],
        [V.admin_session_id, 'Admin1', true, 0, false, 0],
      ].sort((a, b) => (a[0] as string).localeCompare(b[0] as string)),
    );
    expect(m.members.get(V.member1_session_id)!.picture).toEqual({ url: 'http://example.com/member1.jpg', key: key('a') });
    // Read-only for a member: changes are refused.
    expect(() => m.info.setName('mine now')).toThrow(/read-only/);

    const removed = new GroupConfigs(secretOf(MEMBER_SEEDS[3]), group().publicKey);
    removed.loadKeyMessage('keyhash1', fromHex(V.keys_gen1), T0 + 1000);
    removed.loadKeyMessage('keyhash2', fromHex(V.keys_gen2), T0 + 2000);
    expect(removed.info.config.merge([{ hash: 'infohash2', data: fromHex(V.info_gen2) }])).toEqual([]);
  });
});

describe('libsession test_group_info.cpp "Group Info settings"', () => {
  const seed = fromHex('0123456789abcdef0123456789abcdeffedcba9876543210fedcba9876543210');
  const signing = () => {
    const pair = ed25519KeyPairFromSeed(seed);
    return { publicKey: pair.publicKey, secretKey: pair.secretKey };
  };

  it('pushes, merges with the keys each side holds, and keeps every field', () => {
    expect(toHex(signing().publicKey)).toBe('cbd569f56fb13ea95a3f0c05c331cc24139c0090feb412069dc49fab34406ece');
    const ginfo1 = new GroupInfo(signing());
    ginfo1.config.replaceKeys([key('a')], false);
    const ginfo2 = new GroupInfo(signing());
    ginfo2.config.replaceKeys([key('b'), key('a'), key('c'), key('d')], false);

    ginfo1.setName('GROUP Name');
    expect(ginfo1.config.isDirty()).toBe(true);
    const p1 = ginfo1.config.push();
    expect(p1.seqno).toBe(1);
    expect(p1.data.length).toBe(256);
    expect(p1.obsolete).toEqual([]);
    ginfo1.config.confirmPushed(p1.seqno, 'fakehash1');
    expect(ginfo1.config.needsPush()).toBe(false);

    expect(ginfo2.config.merge([{ hash: 'fakehash1', data: p1.data }])).toEqual(['fakehash1']);
    expect(ginfo2.config.needsPush()).toBe(false);
    expect(ginfo2.name).toBe('GROUP Name');

    const created = 1682529839;
    ginfo2.setPicture({ url: 'http://example.com/12345', key: fromHex('abcd'.repeat(16)) });
    ginfo2.setExpiryTimerSeconds(3600);
    ginfo2.setCreatedSeconds(created);
    ginfo2.setDeleteBeforeSeconds(created + 50 * 86400);
    ginfo2.setDeleteAttachmentsBeforeSeconds(created + 70 * 86400);
    ginfo2.destroy();
    const p2 = ginfo2.config.push();
    expect(p2.seqno).toBe(2);
    expect(p2.data.length).toBe(512);
    expect(p2.obsolete).toEqual(['fakehash1']);
    ginfo2.config.confirmPushed(p2.seqno, 'fakehash2');

    ginfo1.setName('Better name!');
    // ginfo1 does not have the key ginfo2 used (bbb…) yet.
    expect(ginfo1.config.merge([{ hash: 'fakehash2', data: p2.data }])).toEqual([]);
    ginfo1.config.replaceKeys([key('b'), key('a'), key('c')], false);
    expect(ginfo1.config.merge([{ hash: 'fakehash2', data: p2.data }])).toEqual(['fakehash2']);
    expect(ginfo1.config.needsPush()).toBe(true);
    const p3 = ginfo1.config.push();
    const expectAll = (g: GroupInfo) => {
      expect(g.name).toBe('Better name!');
      expect(g.picture).toEqual({ url: 'http://example.com/12345', key: fromHex('abcd'.repeat(16)) });
      expect(g.expiryTimerSeconds).toBe(3600);
      expect(g.createdSeconds).toBe(created);
      expect(g.deleteBeforeSeconds).toBe(created + 50 * 86400);
      expect(g.deleteAttachmentsBeforeSeconds).toBe(created + 70 * 86400);
      expect(g.destroyed).toBe(true);
    };
    expectAll(ginfo1);
    ginfo1.config.confirmPushed(p3.seqno, 'fakehash3');
    expect(ginfo2.config.merge([{ hash: 'fakehash3', data: p3.data }])).toEqual(['fakehash3']);
    expectAll(ginfo2);

    expect(() => ginfo1.setName('1234567890'.repeat(10) + 'A')).toThrow(/exceeds maximum length/);
    ginfo1.setNameTruncated('1234567890'.repeat(10) + 'A');
    expect(ginfo1.name).toBe('1234567890'.repeat(10));
  });

  it('a message signed by another key is not merged', () => {
    const mine = new GroupInfo(signing());
    mine.config.replaceKeys([key('a')], false);
    const other = ed25519KeyPairFromSeed(new Uint8Array(32).fill(9));
    const theirs = new GroupInfo({ publicKey: other.publicKey, secretKey: other.secretKey });
    theirs.config.replaceKeys([key('a')], false);
    theirs.setName('forged');
    expect(mine.config.merge([{ hash: 'h', data: theirs.config.push().data }])).toEqual([]);
    expect(mine.name).toBeUndefined();
  });
});

describe('libsession test_group_members.cpp "Group Members"', () => {
  const seed = fromHex('0123456789abcdef0123456789abcdeffedcba9876543210fedcba9876543210');
  const signing = () => {
    const pair = ed25519KeyPairFromSeed(seed);
    return { publicKey: pair.publicKey, secretKey: pair.secretKey };
  };
  const sids = Array.from({ length: 256 }, (_, n) => `05${n.toString(16).padStart(2, '0').repeat(32)}`);
  const pic = (i: number) => ({ url: `http://example.com/${i}`, key: fromHex('abcd'.repeat(16)) });
  const set = (g: GroupMembers, i: number, edit: (m: GroupMember) => void) => {
    const m = g.getOrConstruct(sids[i]);
    edit(m);
    g.set(m);
  };

  it('pushes 25 members in 768 bytes, merges, and carries every status', () => {
    const gmem1 = new GroupMembers(signing());
    gmem1.config.replaceKeys([key('a')], false);
    const gmem2 = new GroupMembers(signing());
    gmem2.config.replaceKeys([key('b'), key('a'), key('c'), key('d')], false);

    for (let i = 0; i < 10; i++) set(gmem1, i, (m) => Object.assign(m, { admin: true, inviteStatus: 0, promotionStatus: 0, name: `Admin ${i}`, picture: pic(i) }));
    for (let i = 10; i < 20; i++) set(gmem1, i, (m) => Object.assign(m, { name: `Member ${i}`, picture: pic(i) }));
    for (let i = 20; i < 25; i++) set(gmem1, i, () => undefined);

    const p1 = gmem1.config.push();
    expect(p1.data.length).toBe(768);
    gmem1.config.confirmPushed(p1.seqno, 'fakehash1');
    expect(gmem2.config.merge([{ hash: 'fakehash1', data: p1.data }])).toEqual(['fakehash1']);
    expect(gmem2.config.needsPush()).toBe(false);
    const all = gmem2.all();
    expect(all.map((m) => m.sessionId)).toEqual(sids.slice(0, 25));
    all.forEach((m, i) => {
      expect(m.supplement).toBe(false);
      expect(m.admin).toBe(i < 10);
      expect(m.name).toBe(i < 10 ? `Admin ${i}` : i < 20 ? `Member ${i}` : '');
      expect(m.picture).toEqual(i < 20 ? pic(i) : undefined);
      expect(m.inviteStatus).toBe(i < 10 ? 0 : STATUS_NOT_SENT);
    });

    for (let i = 22; i < 50; i++) set(gmem2, i, (m) => (m.name = `Member ${i}`));
    for (let i = 50; i < 55; i++) set(gmem2, i, (m) => Object.assign(m, { inviteStatus: STATUS_SENT, supplement: i % 2 === 1 }));
    for (let i = 55; i < 58; i++) set(gmem2, i, (m) => Object.assign(m, { inviteStatus: STATUS_FAILED, supplement: i % 2 === 1 }));
    for (let i = 58; i < 62; i++) set(gmem2, i, (m) => Object.assign(m, { admin: true, inviteStatus: 0, promotionStatus: i >= 60 ? STATUS_FAILED : STATUS_SENT }));
    for (let i = 62; i < 66; i++) set(gmem2, i, (m) => Object.assign(m, { inviteStatus: 0, promotionStatus: 0, removedStatus: i >= 64 ? REMOVED_MEMBER_AND_MESSAGES : REMOVED_MEMBER }));
    expect(gmem2.get(sids[23])!.name).toBe('Member 23');

    const p2 = gmem2.config.push();
    gmem2.config.confirmPushed(p2.seqno, 'fakehash2');
    const configs = [{ hash: 'fakehash1', data: p1.data }, { hash: 'fakehash2', data: p2.data }];
    expect(gmem1.config.merge(configs)).toEqual(['fakehash1']);
    gmem1.config.replaceKeys([key('b'), key('a')], false);
    expect(gmem1.config.merge(configs)).toEqual(['fakehash1', 'fakehash2']);

    const merged = gmem1.all();
    expect(merged).toHaveLength(66);
    merged.forEach((m, i) => {
      expect(m.sessionId).toBe(sids[i]);
      expect(m.admin).toBe(i < 10 || (i >= 58 && i < 62));
      expect(m.name).toBe(i === 20 || i === 21 || i >= 50 ? '' : i < 10 ? `Admin ${i}` : `Member ${i}`);
      expect(m.picture).toEqual(i < 20 ? pic(i) : undefined);
      if (i >= 10 && i < 50) expect(m.inviteStatus).toBe(STATUS_NOT_SENT);
      if (i >= 50 && i < 55) expect([m.inviteStatus, m.supplement]).toEqual([STATUS_SENT, i % 2 === 1]);
      if (i >= 55 && i < 58) expect([m.inviteStatus, m.supplement]).toEqual([STATUS_FAILED, i % 2 === 1]);
      if (i >= 58 && i < 62) expect(m.promotionStatus).toBe(i >= 60 ? STATUS_FAILED : STATUS_SENT);
      if (i >= 62 && i < 66) expect(m.removedStatus).toBe(i >= 64 ? REMOVED_MEMBER_AND_MESSAGES : REMOVED_MEMBER);
    });
  });
});

describe('libsession test_group_keys.cpp "Group Keys promotion"', () => {
  it('a member given the group seed becomes an admin whose changes the other admin merges', () => {
    const admin = new GroupConfigs(secretOf(ADMIN_SEED), group().publicKey, group().secretKey);
    const member = new GroupConfigs(secretOf(MEMBER_SEEDS[0]), group().publicKey);
    const keys = admin.rekey();
    admin.members.set({ ...admin.members.getOrConstruct(V.admin_session_id), admin: true, name: 'Lrrr' });
    admin.members.set({ ...admin.members.getOrConstruct(V.member0_session_id), name: 'Nibbler' });
    admin.info.setName('Omicron Persei 8');
    const m = admin.members.config.push();
    admin.members.config.confirmPushed(m.seqno, 'mpush1');
    const i = admin.info.config.push();
    admin.info.config.confirmPushed(i.seqno, 'ipush1');

    member.loadKeyMessage('keyhash1', keys, T0);
    admin.loadKeyMessage('keyhash1', keys, T0);
    member.loadKeyMessage('keyhash2', admin.keys.keySupplement([V.member0_session_id]), T0);
    expect(member.members.config.merge([{ hash: 'mpush1', data: m.data }])).toEqual(['mpush1']);
    expect(member.info.config.merge([{ hash: 'ipush1', data: i.data }])).toEqual(['ipush1']);
    expect(member.admin).toBe(false);
    expect(member.info.config.isReadonly()).toBe(true);
    expect(member.members.config.isReadonly()).toBe(true);

    member.loadAdminKey(group().secretKey);
    expect(member.admin).toBe(true);
    expect(member.info.config.isReadonly()).toBe(false);
    member.info.setName('new name');
    expect(member.info.config.needsPush()).toBe(true);
    const i2 = member.info.config.push();
    expect(admin.info.config.merge([{ hash: 'ihash2', data: i2.data }])).toEqual(['ihash2']);
    expect(admin.info.name).toBe('new name');
  });

  it('refuses a seed that is not the group\'s', () => {
    const member = new GroupConfigs(secretOf(MEMBER_SEEDS[0]), group().publicKey);
    expect(() => member.loadAdminKey(fromHex(ADMIN_SEED))).toThrow(/not this group/);
  });
});

describe('dumps', () => {
  it('a reopened group keeps its keys, configs and admin rights', () => {
    const admin = new GroupConfigs(secretOf(ADMIN_SEED), group().publicKey, group().secretKey);
    admin.loadKeyMessage('k', admin.rekey(), T0);
    admin.info.setName('kept');
    admin.members.set({ ...admin.members.getOrConstruct(V.member0_session_id), name: 'Zed' });
    const dumps = {};
    expect(admin.saveInto(dumps)).toBe(true);
    const again = new GroupConfigs(secretOf(ADMIN_SEED), group().publicKey, group().secretKey, dumps);
    expect(again.info.name).toBe('kept');
    expect(again.members.get(V.member0_session_id)!.name).toBe('Zed');
    expect(again.keys.groupKeys()).toEqual(admin.keys.groupKeys());
    expect(toHex(again.info.config.push().data)).toBe(toHex(admin.info.config.push().data));
  });
});
