// libsession tests/test_config_contacts.cpp ("Contacts"): the same sequence of changes, read field
// by field with libsession's keys, and the delete-versus-add conflict of two devices. libsession's
// test pins no ciphertext for contacts (its profile test does), so the last test pins ours and the
// plaintext it must decrypt to; the plaintext layout is libsession's.
import { blake2b, fromHex, ready } from '@starling/crypto';
import { bytesToBinary } from './bencode';
import { openConfig, unwrapFromOldClients } from './config-envelope';
import { ConfigObject } from './config-object';
import { CONTACTS, Contacts } from './contacts';
import { loadZstd } from './zstd';

const SEED = fromHex('0123456789abcdef0123456789abcdef00000000000000000000000000000000');
const REAL = '050000000000000000000000000000000000000000000000000000000000000000';
const ANOTHER = '051111111111111111111111111111111111111111111111111111111111111111';
const THIRD = '052222222222222222222222222222222222222222222222222222222222222222';
const CREATED = 1680064059;
const MUTE_UNTIL = 1700000000 + 1800;
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const key = (id: string) => Buffer.from(id, 'hex').toString('latin1');

const open = (dump?: Uint8Array) => new Contacts(new ConfigObject(CONTACTS, SEED, dump));

function joe(contacts: Contacts): void {
  contacts.update(REAL, (c) => {
    c.name = 'Joe';
    c.nickname = 'Joey';
    c.approved = true;
    c.approvedMe = true;
    c.created = CREATED;
    c.notifications = 'all';
    c.muteUntil = MUTE_UNTIL;
  });
}

describe('Contacts as libsession writes them', () => {
  beforeAll(async () => {
    await ready();
    await loadZstd();
  });

  it('follows libsession’s contact test: set, push, reload, merge, and a delete-versus-add conflict', () => {
    const contacts = open();
    expect(contacts.get(REAL)).toBeUndefined();
    const fresh = contacts.getOrConstruct(REAL);
    expect(fresh).toMatchObject({ name: '', nickname: '', approved: false, approvedMe: false, blocked: false, created: 0, notifications: 'default', muteUntil: 0 });
    expect(contacts.config.needsPush()).toBe(false);
    expect(contacts.config.push().seqno).toBe(0);

    joe(contacts);
    expect(contacts.get(REAL)).toMatchObject({ name: 'Joe', nickname: 'Joey', approved: true, approvedMe: true, blocked: false });
    expect(contacts.get(REAL)?.picture).toBeUndefined();
    expect(contacts.config.needsPush()).toBe(true);
    const first = contacts.config.push();
    expect(first.seqno).toBe(1);
    contacts.config.confirmPushed(first.seqno, 'fakehash1');

    const contacts2 = open(contacts.config.dump());
    expect(contacts2.config.needsPush()).toBe(false);
    expect(contacts2.config.push().seqno).toBe(1);
    expect(contacts2.get(REAL)).toMatchObject({ name: 'Joe', created: CREATED, notifications: 'all', muteUntil: MUTE_UNTIL });

    contacts2.set(contacts2.getOrConstruct(ANOTHER)); // no fields, but the id is kept
    const second = contacts2.config.push();
    expect(second.seqno).toBe(2);
    contacts.config.merge([{ hash: 'fakehash2', data: second.data }]);
    contacts2.config.confirmPushed(second.seqno, 'fakehash2');
    expect(contacts.config.needsPush()).toBe(false);
    // A clean push stores nothing new but hands out what the merge made obsolete.
    const clean = contacts.config.push();
    expect([clean.seqno, clean.obsolete]).toEqual([second.seqno, ['fakehash1']]);
    expect(contacts.all().map((c) => [c.sessionId, c.nickname || '(N/A)'])).toEqual([
      [REAL, 'Joey'],
      [ANOTHER, '(N/A)'],
    ]);

    // Conflict: one device deletes a contact while the other adds one.
    contacts.erase(REAL);
    contacts2.update(THIRD, (c) => {
      c.nickname = 'Nickname 3';
      c.approved = true;
      c.blocked = true;
      c.picture = { url: 'http://example.com/huge.bmp', key: Buffer.from('qwerty78901234567890123456789012') };
    });
    const a = contacts.config.push();
    const b = contacts2.config.push();
    expect(a.seqno).toBe(b.seqno);
    expect(hex(a.data)).not.toBe(hex(b.data));
    expect(a.obsolete).toEqual(['fakehash2']);
    expect(b.obsolete).toEqual(['fakehash2']);
    contacts.config.confirmPushed(a.seqno, 'fakehash3a');
    contacts2.config.confirmPushed(b.seqno, 'fakehash3b');
    contacts.config.merge([{ hash: 'fakehash3b', data: b.data }]);
    contacts2.config.merge([{ hash: 'fakehash3a', data: a.data }]);
    expect(contacts.config.needsPush() && contacts2.config.needsPush()).toBe(true);
    const merged = contacts.config.push();
    const merged2 = contacts2.config.push();
    expect(merged.seqno).toBe(a.seqno + 1);
    expect(merged2.seqno).toBe(merged.seqno);
    // libsession leaves this check disabled; our wrapping is deterministic, so it holds.
    expect(hex(merged.data)).toBe(hex(merged2.data));
    expect(merged.obsolete).toEqual(['fakehash3a', 'fakehash3b']);
    expect(merged2.obsolete).toEqual(['fakehash3a', 'fakehash3b']);
    for (const c of [contacts, contacts2]) {
      expect(c.all().map((x) => [x.sessionId, x.nickname || '(N/A)'])).toEqual([
        [ANOTHER, '(N/A)'],
        [THIRD, 'Nickname 3'],
      ]);
      expect(c.get(THIRD)).toMatchObject({ approved: true, blocked: true, picture: { url: 'http://example.com/huge.bmp' } });
    }
  });

  it('keeps fields written by a newer app through a read-modify-write', () => {
    const newer = open();
    joe(newer);
    // A field this client does not know, as a newer app would add it.
    newer.config.field('c', key(REAL), 'Z').assign('future');
    newer.config.field('Y').assign(42n);
    const pushed = newer.config.push();
    const ours = open();
    ours.config.merge([{ hash: 'h1', data: pushed.data }]);
    ours.update(REAL, (c) => (c.blocked = true));
    const rewritten = ours.config.push();
    const back = open();
    back.config.merge([{ hash: 'h2', data: rewritten.data }]);
    expect(back.get(REAL)).toMatchObject({ name: 'Joe', blocked: true });
    expect(back.config.field('c', key(REAL), 'Z').string()).toBe('future');
    expect(back.config.field('Y').integer()).toBe(42n);
  });

  it('writes libsession’s keys, and pins the stored bytes of that change', () => {
    const contacts = open();
    joe(contacts);
    contacts.update(THIRD, (c) => {
      c.blocked = true;
      c.expirationMode = 'after-read';
      c.expirationTimerSeconds = 300;
    });
    const push = contacts.config.push();
    const plain = bytesToBinary(openConfig(CONTACTS, SEED, push.data)!);
    expect(plain).toBe(
      `d1:#i1e1:&d1:cd33:${key(REAL)}d1:!i${MUTE_UNTIL}e1:@i1e1:Ai1e1:N4:Joey1:ai1e1:ji${CREATED}e1:n3:Joee` +
        `33:${key(THIRD)}d1:Ei300e1:bi1e1:ei2e1:n0:eee` +
        `1:<lli0e32:${Buffer.from('ea173b57beca8af18c3519a7bbf69c3e7a05d1c049fa9558341d8ebb48b0c965', 'hex').toString('latin1')}dee` +
        `e1:=d1:cd33:${key(REAL)}d1:!0:1:@0:1:A0:1:N0:1:a0:1:j0:1:n0:e33:${key(THIRD)}d1:E0:1:b0:1:e0:1:n0:eeee`,
    );
    const inner = unwrapFromOldClients(SEED, push.data, CONTACTS.namespace)!;
    expect(inner.length).toBe(256);
    expect(hex(blake2b(push.data, 32))).toBe(GOLDEN_CONTACTS_PUSH);
  });
});

// Our stored bytes for the change above (regression pin: any change to padding, encryption or
// wrapping shows here).
const GOLDEN_CONTACTS_PUSH = '122f9558ddd5be4b49ce5bfe92f52665f21a451f6cc6d6fb992d721b6c72b9b3';
