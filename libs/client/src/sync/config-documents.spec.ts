import { fromHex, identityFromSeed, ready, toBase64 } from '@starling/crypto';
import { emptyAccountState } from '../account/account-state';
import { editContact, isBlocked, setProfileName } from './config-changes';
import { CONTACTS_NAMESPACE, ConfigRejected, decodeConfig, encodeConfig, isNewer, PROFILE_NAMESPACE } from './config-documents';

const BOB = '05d2ad010eeb72d72e561d9de7bd7b6989af77dcabffa03a5111a6c859ae5c3a72';

describe('synced config documents', () => {
  let seed: Uint8Array;
  let otherSeed: Uint8Array;
  beforeAll(async () => {
    await ready();
    seed = identityFromSeed(fromHex('000102030405060708090a0b0c0d0e0f')).seed;
    otherSeed = identityFromSeed(fromHex('0123456789abcdef0123456789abcdef')).seed;
  });

  it('round-trips the contact list through the encrypted config message', () => {
    const doc = { seqno: 3, updatedAt: 1700000000000, contacts: { [BOB]: { name: 'Bob', blocked: true, disappearing: { mode: 'after-read' as const, timerSeconds: 300 } } } };
    const data = encodeConfig(seed, CONTACTS_NAMESPACE, doc);
    expect(decodeConfig(seed, CONTACTS_NAMESPACE, data)).toEqual(doc);
    // Padded like libsession's configs: the size does not track the contents byte for byte.
    expect(data.length % 256).toBe(0);
  });

  it('cannot be read with another seed or as another namespace', () => {
    const data = encodeConfig(seed, PROFILE_NAMESPACE, { seqno: 1, updatedAt: 1, name: 'Alice' });
    expect(() => decodeConfig(otherSeed, PROFILE_NAMESPACE, data)).toThrow(ConfigRejected);
    expect(() => decodeConfig(seed, CONTACTS_NAMESPACE, data)).toThrow(ConfigRejected);
    const tampered = Uint8Array.from(data);
    tampered[10] ^= 1;
    expect(() => decodeConfig(seed, PROFILE_NAMESPACE, tampered)).toThrow(ConfigRejected);
  });

  it('rejects a well-encrypted document with malformed entries', () => {
    const bad = encodeConfig(seed, CONTACTS_NAMESPACE, { seqno: 1, updatedAt: 1, contacts: { 'not-an-id': {} } });
    expect(() => decodeConfig(seed, CONTACTS_NAMESPACE, bad)).toThrow(/bad contact entry/);
    const badTimer = encodeConfig(seed, CONTACTS_NAMESPACE, { seqno: 1, updatedAt: 1, contacts: { [BOB]: { disappearing: { mode: 'after-send', timerSeconds: 7 } } } });
    expect(() => decodeConfig(seed, CONTACTS_NAMESPACE, badTimer)).toThrow(/disappearing/);
  });

  it.each([
    [{ seqno: 2, updatedAt: 1 }, { seqno: 1, updatedAt: 9 }, true],
    [{ seqno: 1, updatedAt: 9 }, { seqno: 2, updatedAt: 1 }, false],
    [{ seqno: 2, updatedAt: 5 }, { seqno: 2, updatedAt: 4 }, true],
    [{ seqno: 2, updatedAt: 5 }, { seqno: 2, updatedAt: 5 }, false],
  ])('newest wins: %j over %j is %s', (candidate, current, newer) => {
    expect(isNewer(candidate, current)).toBe(newer);
  });

  it('a local edit takes the next seqno and marks only its namespace unsynced', () => {
    const state = emptyAccountState();
    expect(editContact(state, BOB, (c) => (c.blocked = true), 1000)).toBe(true);
    expect(isBlocked(state, BOB)).toBe(true);
    expect(state.contacts).toMatchObject({ seqno: 1, updatedAt: 1000 });
    expect(state.unsynced).toEqual([CONTACTS_NAMESPACE]);
    expect(editContact(state, BOB, (c) => (c.blocked = true), 2000)).toBe(false); // no change, no version
    expect(state.contacts.seqno).toBe(1);
    setProfileName(state, 'Alice', 3000);
    expect(state.profile).toEqual({ seqno: 1, updatedAt: 3000, name: 'Alice' });
    expect(state.unsynced).toEqual([CONTACTS_NAMESPACE, PROFILE_NAMESPACE]);
  });

  it('keeps base64 transport of a config byte-exact', () => {
    const data = encodeConfig(seed, PROFILE_NAMESPACE, { seqno: 7, updatedAt: 7, name: 'Ünïcødé 🎂' });
    expect(decodeConfig(seed, PROFILE_NAMESPACE, Buffer.from(toBase64(data), 'base64'))).toMatchObject({ name: 'Ünïcødé 🎂' });
  });
});
