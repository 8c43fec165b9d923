// The group key list against libsession (vectors/: three generations made by libsession from the
// keys of its test_group_keys.cpp): key messages byte for byte, member decryption, rotation that
// leaves removed members out, supplements, dumps; and libsession's rules for bad messages.
import { ed25519KeyPairFromSeed, fromHex, ready, signEd25519, toHex } from '@starling/crypto';
import { binaryToBytes, bytesToBinary, decodeDictEntries } from '../config/bencode';
import vectors from './vectors/libsession-groups.json';
import { GroupKeys, GroupKeysError, KEY_EXPIRY_MS } from './group-keys';
import { ADMIN_SEED, GROUP_SEED, MEMBER_SEEDS } from './test-keys';

const T0 = 1700000000000;
const group = () => ed25519KeyPairFromSeed(fromHex(GROUP_SEED));
const secretOf = (seedHex: string) => ed25519KeyPairFromSeed(fromHex(seedHex)).secretKey;
const V = vectors as Record<string, string>;
const memberIds = () => [0, 1, 2, 3].map((i) => V[`member${i}_session_id`]);

beforeAll(ready);

/** The admin of the harness run, replayed: returns the messages it made. */
function replayAdmin() {
  const admin = new GroupKeys(secretOf(ADMIN_SEED), group().publicKey, group().secretKey);
  const gen0 = admin.rekey([]);
  const key0 = toHex(admin.encryptionKey());
  admin.loadKeyMessage('keyhash0', gen0, T0);
  const gen1 = admin.rekey([V.admin_session_id, ...memberIds()]);
  const key1 = toHex(admin.encryptionKey());
  admin.loadKeyMessage('keyhash1', gen1, T0 + 1000);
  const supplement = admin.keySupplement([memberIds()[0]]);
  const gen2 = admin.rekey([V.admin_session_id, memberIds()[0], memberIds()[1]]);
  const key2 = toHex(admin.encryptionKey());
  admin.loadKeyMessage('keyhash2', gen2, T0 + 2000);
  return { admin, gen0, gen1, gen2, supplement, keys: [key0, key1, key2] };
}

function member(index: number): GroupKeys {
  return new GroupKeys(secretOf(MEMBER_SEEDS[index]), group().publicKey);
}

describe('key messages byte for byte (libsession harness)', () => {
  it.each([
    ['generation 0 (no members: 75 junk copies)', 'gen0', 'keys_gen0', 0],
    ['generation 1 (admin + four members)', 'gen1', 'keys_gen1', 1],
    ['generation 2 (members 2 and 3 removed)', 'gen2', 'keys_gen2', 2],
  ] as const)('%s', (_what, field, vector, generation) => {
    const replay = replayAdmin();
    expect(toHex(replay[field])).toBe(V[vector]);
    expect(replay.keys[generation]).toBe(V[`enc_key_gen${generation}`]);
  });

  it('a supplement for member0 carries the keys held, byte for byte', () => {
    expect(toHex(replayAdmin().supplement)).toBe(V.supplement_member0);
  });

  it('the admin dump is libsession\'s', () => {
    expect(toHex(replayAdmin().admin.dump())).toBe(V.admin_keys_dump);
  });
});

describe('members read the keys meant for them', () => {
  it('member0 finds keys in generations 1 and 2, not in 0 (it was not a member yet)', () => {
    const m = member(0);
    const found = [
      m.loadKeyMessage('keyhash0', fromHex(V.keys_gen0), T0),
      m.loadKeyMessage('keyhash1', fromHex(V.keys_gen1), T0 + 1000),
      m.loadKeyMessage('keyhash2', fromHex(V.keys_gen2), T0 + 2000),
    ];
    expect(found.map(Number).join('')).toBe(V.member0_found);
    expect(m.groupKeys().map(toHex)).toEqual([V.enc_key_gen2, V.enc_key_gen1]);
    expect(toHex(m.dump())).toBe(V.member0_keys_dump);
    expect(m.currentHashes()).toEqual(['keyhash1', 'keyhash2']);
  });

  it('a removed member (member3) gets generation 1 but not the rotation that left it out', () => {
    const m = member(3);
    const found = [m.loadKeyMessage('keyhash1', fromHex(V.keys_gen1), T0 + 1000), m.loadKeyMessage('keyhash2', fromHex(V.keys_gen2), T0 + 2000)];
    expect(found.map(Number).join('')).toBe(V.member3_found);
    expect(m.groupKeys().map(toHex)).toEqual([V.enc_key_gen1]);
    expect(m.groupKeys().map(toHex)).not.toContain(V.enc_key_gen2);
  });

  it('a supplement gives a member the keys of earlier generations', () => {
    const m = member(0);
    expect(m.loadKeyMessage('supp', fromHex(V.supplement_member0), T0 + 1500)).toBe(true);
    expect(m.groupKeys().map(toHex)).toEqual([V.enc_key_gen1, V.enc_key_gen0]);
    // Not for member1: nothing found, but the message is valid.
    expect(member(1).loadKeyMessage('supp', fromHex(V.supplement_member0), T0 + 1500)).toBe(false);
  });

  it('loading the same message twice changes nothing', () => {
    const m = member(0);
    m.loadKeyMessage('keyhash1', fromHex(V.keys_gen1), T0 + 1000);
    const dump = toHex(m.dump());
    m.loadKeyMessage('keyhash1', fromHex(V.keys_gen1), T0 + 5000);
    expect(toHex(m.dump())).toBe(dump);
  });
});

describe('pending keys and rotation', () => {
  it('a rekey is pending until it comes back from the swarm, and encrypts at once', () => {
    const admin = new GroupKeys(secretOf(ADMIN_SEED), group().publicKey, group().secretKey);
    const message = admin.rekey([V.admin_session_id]);
    expect(admin.pendingConfig()).toEqual(message);
    expect(admin.groupKeys()).toHaveLength(1);
    expect(admin.loadKeyMessage('h', message, T0)).toBe(true);
    expect(admin.pendingConfig()).toBeUndefined();
    expect(admin.currentGeneration()).toBe(0);
  });

  it('two admins rekeying the same generation for different members need a rekey; a new one heals it', () => {
    const a = new GroupKeys(secretOf(ADMIN_SEED), group().publicKey, group().secretKey);
    const b = new GroupKeys(secretOf(MEMBER_SEEDS[0]), group().publicKey, group().secretKey);
    const ma = a.rekey([V.admin_session_id, memberIds()[1]]);
    const mb = b.rekey([V.admin_session_id, memberIds()[2]]);
    for (const k of [a, b]) {
      k.loadKeyMessage('a', ma, T0);
      k.loadKeyMessage('b', mb, T0 + 1);
    }
    expect(a.needsRekey()).toBe(true);
    const healed = a.rekey([V.admin_session_id, memberIds()[1], memberIds()[2]]);
    a.loadKeyMessage('c', healed, T0 + 2);
    expect(a.needsRekey()).toBe(false);
    expect(a.currentGeneration()).toBe(1);
  });

  it('keys superseded longer than KEY_EXPIRY are dropped', () => {
    const admin = new GroupKeys(secretOf(ADMIN_SEED), group().publicKey, group().secretKey);
    admin.loadKeyMessage('g0', admin.rekey([V.admin_session_id]), T0);
    admin.loadKeyMessage('g1', admin.rekey([V.admin_session_id]), T0 + 1000);
    admin.loadKeyMessage('g2', admin.rekey([V.admin_session_id]), T0 + 1000 + KEY_EXPIRY_MS + 1);
    expect(admin.groupKeys()).toHaveLength(2);
    expect(admin.currentHashes()).toEqual(['g1', 'g2']);
  });

  it('a dump restores keys, hashes and the pending rekey', () => {
    const { admin } = replayAdmin();
    const pending = admin.rekey([V.admin_session_id]);
    const copy = new GroupKeys(secretOf(ADMIN_SEED), group().publicKey, group().secretKey, admin.dump());
    expect(copy.groupKeys()).toEqual(admin.groupKeys());
    expect(copy.pendingConfig()).toEqual(pending);
    expect(copy.currentHashes()).toEqual(admin.currentHashes());
  });
});

describe('bad key messages are refused (libsession load_key_message)', () => {
  const gen1 = () => fromHex(V.keys_gen1);
  /** gen1 with one dict value replaced, signature kept (so it no longer verifies unless unchanged). */
  function tampered(edit: (bytes: Uint8Array) => void): Uint8Array {
    const b = gen1();
    edit(b);
    return b;
  }

  it.each<[string, () => Uint8Array, RegExp]>([
    ['a flipped byte in a member copy (signature)', () => tampered((b) => (b[200] ^= 1)), /signature failed/],
    ['no signature', () => {
      const entries = decodeDictEntries(gen1());
      const sigAt = entries.find((e) => e.key === '~')!.start;
      return Buffer.concat([gen1().subarray(0, sigAt), Buffer.from('e')]);
    }, /signature is missing/],
    ['not bencoded', () => new Uint8Array([1, 2, 3]), /not bencoded/],
    ['another group\'s signature', () => {
      const other = ed25519KeyPairFromSeed(new Uint8Array(32).fill(7));
      return new GroupKeys(secretOf(ADMIN_SEED), other.publicKey, other.secretKey).rekey([V.admin_session_id]);
    }, /signature failed/],
  ])('%s', (_what, data, error) => {
    expect(() => member(0).loadKeyMessage('x', data(), T0)).toThrow(error);
    expect(() => member(0).loadKeyMessage('x', data(), T0)).toThrow(GroupKeysError);
  });

  it('a member key list that is not a multiple of 75 is refused', () => {
    const admin = new GroupKeys(secretOf(ADMIN_SEED), group().publicKey, group().secretKey);
    const message = admin.rekey([V.admin_session_id]);
    const entries = decodeDictEntries(message);
    const k = entries.find((e) => e.key === 'k')!.value as string[];
    // Rebuild with 74 copies and a valid signature: the size check must still refuse it.
    const text = bytesToBinary(message);
    const kStart = entries.find((e) => e.key === 'k')!.start;
    const sigStart = entries.find((e) => e.key === '~')!.start;
    const shorter = `l${k.slice(1).map((c) => `${c.length}:${c}`).join('')}e`;
    const unsigned = text.slice(0, kStart) + `1:k${shorter}`;
    expect(sigStart).toBeGreaterThan(kStart);
    const signature = bytesToBinary(signEd25519(group().secretKey, binaryToBytes(unsigned)));
    const bad = binaryToBytes(`${unsigned}1:~64:${signature}e`);
    expect(() => member(0).loadKeyMessage('x', bad, T0)).toThrow(/wrong size/);
  });
});
