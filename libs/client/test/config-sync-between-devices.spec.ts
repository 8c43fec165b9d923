// The account's configs travel between its devices as libsession config messages in the own swarm
// (namespaces 2-5): each change is stored and the messages it supersedes are deleted; concurrent
// changes on two devices merge (libsession's conflict resolution) and both devices converge on
// one message; old Starling JSON configs are converted once and their messages deleted.
import { writeFileSync } from 'fs';
import { join } from 'path';
import { fromBase64, ready } from '@starling/crypto';
import { bytesToBinary } from '../src/config/bencode';
import { openConfig } from '../src/config/config-envelope';
import { CONTACTS } from '../src/config/contacts';
import { USER_PROFILE } from '../src/config/user-profile';
import { loadZstd } from '../src/config/zstd';
import { contactOf, editContact, profileName, setProfileName } from '../src/sync/config-changes';
import { ConfigSync } from '../src/sync/config-sync';
import { Devices } from './support/devices';

const DAVE = '05d2ad010eeb72d72e561d9de7bd7b6989af77dcabffa03a5111a6c859ae5c3a72';
const ERIN = '05ca03b8e369aeeb69fd260c2957d37b232db17a60db7a39bca9f0c0a6be135c1a';

describe('config sync between devices', () => {
  let devices: Devices;
  beforeAll(async () => {
    await ready();
    await loadZstd();
  });
  beforeEach(() => (devices = new Devices()));
  afterEach(() => devices.cleanup());

  it('keeps one profile message in the swarm, in libsession’s format, and a new device reads it', async () => {
    const phone = devices.device();
    const sync = new ConfigSync(phone.store, devices.swarm);
    phone.store.updateState((s) => setProfileName(s, 'Al'));
    expect(await sync.pushPending()).toBe(1);
    phone.store.updateState((s) => setProfileName(s, 'Alice'));
    await sync.pushPending();
    const rows = devices.swarm.rows(phone.identity.sessionId, USER_PROFILE.namespace);
    expect(rows).toHaveLength(1);
    // What a Session app decrypts: a bencoded config with seqno 2 and the name under "n".
    const plain = bytesToBinary(openConfig(USER_PROFILE, phone.identity.seed, fromBase64(rows[0].data))!);
    expect(plain).toMatch(/^d1:#i2e1:&d1:n5:Alicee1:<l/);
    expect(await sync.pushPending()).toBe(0);

    const laptop = devices.device(phone.seed);
    const result = await laptop.inbox.poll();
    expect(result.adopted).toEqual([USER_PROFILE.namespace]);
    expect(profileName(laptop.store.readState())).toBe('Alice');
  });

  it('merges concurrent changes of two devices without losing either, and both converge on one message', async () => {
    const phone = devices.device();
    const laptop = devices.device(phone.seed);
    const t = Date.now();
    phone.store.updateState((s) => editContact(s, DAVE, (c) => (c.name = 'Dave'), t));
    await phone.inbox.poll(); // seqno 1
    await laptop.inbox.poll(); // the laptop has Dave too
    // At the same time: the phone gives Dave a nickname and adds Erin, the laptop blocks Dave.
    phone.store.updateState((s) => {
      editContact(s, DAVE, (c) => (c.nickname = 'D'), t);
      editContact(s, ERIN, (c) => (c.approved = true), t);
    });
    laptop.store.updateState((s) => editContact(s, DAVE, (c) => (c.blocked = true), t));
    await phone.inbox.poll(); // stores the phone's seqno 2
    await laptop.inbox.poll(); // stores its own seqno 2, reads both, merges them into seqno 3 and stores it
    await phone.inbox.poll(); // takes seqno 3
    for (const device of [phone, laptop]) {
      const state = device.store.readState();
      expect(contactOf(state, DAVE)).toEqual({ name: 'Dave', nickname: 'D', blocked: true });
      expect(contactOf(state, ERIN)).toEqual({ approved: true });
    }
    const rows = devices.swarm.rows(phone.identity.sessionId, CONTACTS.namespace);
    expect(rows).toHaveLength(1);
    expect(bytesToBinary(openConfig(CONTACTS, phone.identity.seed, fromBase64(rows[0].data))!)).toMatch(/^d1:#i3e/);
  });

  it('ignores config messages it cannot read', async () => {
    const phone = devices.device();
    const stranger = devices.device();
    phone.store.updateState((s) => setProfileName(s, 'one'));
    await phone.inbox.poll();
    stranger.store.updateState((s) => setProfileName(s, 'intruder'));
    await new ConfigSync(stranger.store, devices.swarm).pushPending();
    const [foreign] = devices.swarm.rows(stranger.identity.sessionId, USER_PROFILE.namespace);
    const state = phone.store.readState();
    const absorbed = new ConfigSync(phone.store, devices.swarm).absorb(state, USER_PROFILE.namespace, [
      { hash: foreign.hash, data: foreign.data },
      { hash: 'old-json', data: Buffer.from('{"format":"starling-config-1"}').toString('base64') },
      { hash: 'not-base64', data: '***' },
    ]);
    expect(absorbed).toEqual({ rejected: 3, adopted: false });
    expect(profileName(state)).toBe('one');
  });

  it('converts a data folder with the old JSON configs and deletes the old messages from the swarm', async () => {
    const phone = devices.device();
    const sessionId = phone.identity.sessionId;
    const oldHash = devices.swarm.deposit(sessionId, Buffer.from('an old Starling JSON config'));
    writeFileSync(
      join(phone.store.home, 'account.json'),
      JSON.stringify({
        profile: { seqno: 3, updatedAt: 1, name: 'Alice' },
        contacts: { seqno: 2, updatedAt: 1, contacts: { [DAVE]: { name: 'Dave', blocked: true }, [ERIN]: { disappearing: { mode: 'after-read', timerSeconds: 300 } } } },
        unsynced: [],
        configHashes: { '2': [oldHash] },
      }),
    );
    const state = phone.store.readState();
    expect(profileName(state)).toBe('Alice');
    expect(contactOf(state, DAVE)).toEqual({ name: 'Dave', blocked: true });
    expect(contactOf(state, ERIN)).toEqual({ approved: true, disappearing: { mode: 'after-read', timerSeconds: 300 } });
    await new ConfigSync(phone.store, devices.swarm).pushPending();
    expect(devices.swarm.rows(sessionId).map((r) => r.hash)).not.toContain(oldHash);
    expect(devices.swarm.rows(sessionId, USER_PROFILE.namespace)).toHaveLength(1);
    expect(devices.swarm.rows(sessionId, CONTACTS.namespace)).toHaveLength(1);

    const laptop = devices.device(phone.seed);
    await laptop.inbox.poll();
    expect(contactOf(laptop.store.readState(), ERIN)?.disappearing).toEqual({ mode: 'after-read', timerSeconds: 300 });
  });
});
