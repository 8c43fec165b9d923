// The group's key list (namespace 12; libsession groups::Keys; groups.md 2). Not a mergeable config: each
// message is a whole new key ("generation"), made by an admin and encrypted once for the admins
// (key from the group seed) and once per member (multi_encrypt from the group's X25519 key to the
// member's Session ID), signed by the group key. Members keep every key they can decrypt for
// KEY_EXPIRY after it was superseded, so older messages and configs stay readable; a member left
// out of a new generation cannot read what is encrypted with it. Two admins issuing the same
// generation at once is healed by the next rekey (needsRekey).
//   full:         d 1:# nonce(24)  1:G gen  1:K admin copy(48)  1:k [member copies(48), padded to 75n]  1:~ sig e
//   supplemental: d 1:# nonce(24)  1:+ [copies of the key list for added members]  1:G max gen  1:~ sig e
import { ed25519KeyPairFromSecret, ed25519PublicKeyToX25519, ed25519SecretKeyToX25519, fromHex, signEd25519, sodium, verifyEd25519 } from '@starling/crypto';
import { binaryToBytes, BtValue, BtWriter, bytesToBinary, decodeBt, decodeDictEntries, isBtDict } from '../config/bencode';
import { keyedHash } from './keyed-hash';
import { decryptForMultiple, encryptForMultiple } from './multi-encrypt';

/** Member copies come in multiples of this (junk pads the rest), so the count does not leak. */
export const MESSAGE_KEY_MULTIPLE = 75;
/** A key is dropped once a newer generation has been around this long (twice the config TTL). */
export const KEY_EXPIRY_MS = 2 * 30 * 24 * 3600 * 1000;
const KEY_BYTES = 32;
const ENCRYPTED_KEY_BYTES = 48;
const NONCE_BYTES = 24;
const SEED_HASH_KEY = 'SessionGroupKeySeed';
const KEY_GEN_HASH_KEY = 'SessionGroupKeyGen';
const ADMIN_KEY_HASH_KEY = 'SessionGroupKeyAdminKey';
const MEMBER_KEY_DOMAIN = 'SessionGroupKeyMemberKey';
const JUNK_HASH_KEY = 'SessionGroupJunkMembers';

export class GroupKeysError extends Error {}

export interface GroupKey {
  key: Uint8Array;
  generation: number;
  /** When the swarm stored the message that carried it (ms). */
  timestampMs: number;
}

interface PendingKey {
  key: Uint8Array;
  generation: number;
  message: Uint8Array;
}

function compareKeys(a: GroupKey, b: GroupKey): number {
  if (a.generation !== b.generation) return a.generation - b.generation;
  if (a.timestampMs !== b.timestampMs) return a.timestampMs - b.timestampMs;
  return Buffer.compare(Buffer.from(a.key), Buffer.from(b.key));
}

const sameBytes = (a: Uint8Array, b: Uint8Array) => Buffer.from(a).equals(Buffer.from(b));

/** The 32-byte X25519 key inside a Session ID. */
function sessionIdKey(sessionId: string): Uint8Array {
  if (!/^05[0-9a-f]{64}$/i.test(sessionId)) throw new GroupKeysError(`not a Session ID: ${sessionId}`);
  return fromHex(sessionId.slice(2), 32);
}

export class GroupKeys {
  private keys: GroupKey[] = [];
  /** Hashes of the messages we read, by the generation they carried. */
  private readonly active = new Map<number, Set<string>>();
  private pending?: PendingKey;
  private groupSecret?: Uint8Array;
  needsDump = false;

  /**
   * `userSecret`: our 64-byte Ed25519 secret key; `groupPublic`: the group's Ed25519 key;
   * `groupSecret`: the group's 64-byte secret key when we are an admin.
   */
  constructor(
    private readonly userSecret: Uint8Array,
    readonly groupPublic: Uint8Array,
    groupSecret?: Uint8Array,
    dump?: Uint8Array,
  ) {
    if (groupSecret) this.loadAdminKey(groupSecret);
    if (dump) this.loadDump(dump);
  }

  get admin(): boolean {
    return this.groupSecret !== undefined;
  }

  /** The group's secret key (admins only). */
  adminSecret(): Uint8Array {
    if (!this.groupSecret) throw new GroupKeysError('this needs the group admin key');
    return this.groupSecret;
  }

  /** Becomes an admin (a promotion): the seed or 64-byte key must be the group's. */
  loadAdminKey(secret: Uint8Array): void {
    const pair = ed25519KeyPairFromSecret(secret.length === 64 ? secret.subarray(0, 32) : secret);
    if (!sameBytes(pair.publicKey, this.groupPublic)) throw new GroupKeysError('the given secret key is not this group\'s');
    this.groupSecret = pair.secretKey;
  }

  /** Every key we hold, newest first (a pending one before all); the first one encrypts. */
  groupKeys(): Uint8Array[] {
    const out = this.pending ? [this.pending.key] : [];
    for (let i = this.keys.length - 1; i >= 0; i--) out.push(this.keys[i].key);
    return out;
  }

  encryptionKey(): Uint8Array {
    const key = this.groupKeys()[0];
    if (!key) throw new GroupKeysError('no group key yet: the key list has not been read');
    return key;
  }

  currentGeneration(): number {
    return this.keys.length === 0 ? 0 : this.keys[this.keys.length - 1].generation;
  }

  /** The message of a rekey not yet seen back from the swarm. */
  pendingConfig(): Uint8Array | undefined {
    return this.pending?.message;
  }

  /** Hashes of the messages holding keys we keep (to be kept alive in the swarm). */
  currentHashes(): string[] {
    return [...this.active.values()].flatMap((s) => [...s]).sort();
  }

  /** Two keys of the newest generation: two admins rekeyed at once; an admin should rekey again. */
  needsRekey(): boolean {
    if (!this.admin || this.keys.length < 2) return false;
    return this.keys[this.keys.length - 1].generation === this.keys[this.keys.length - 2].generation;
  }

  /**
   * A new key for `memberIds` (every Session ID in the Members config, admins included) and the
   * message to push to namespace 12. Deterministic, so two admins rekeying for the same members
   * and generation produce the same key.
   */
  rekey(memberIds: readonly string[]): Uint8Array {
    const secret = this.adminSecret();
    const sorted = [...memberIds].map((m) => m.toLowerCase()).sort();
    const generation = this.keys.length === 0 ? 0 : this.keys[this.keys.length - 1].generation + 1;
    const h1 = keyedHash(56, KEY_GEN_HASH_KEY, ...sorted.map((m) => Buffer.from(m, 'ascii')), Buffer.from(String(generation), 'ascii'), this.seedHash(SEED_HASH_KEY));
    const key = h1.slice(0, KEY_BYTES);
    const nonce = h1.slice(KEY_BYTES);
    const s = sodium();
    const adminCopy = s.crypto_aead_xchacha20poly1305_ietf_encrypt(key, null, null, nonce, this.seedHash(ADMIN_KEY_HASH_KEY));
    const copies = encryptForMultiple([key], sorted.map(sessionIdKey), nonce, this.groupX25519(), MEMBER_KEY_DOMAIN);
    const junkCount = copies.length % MESSAGE_KEY_MULTIPLE === 0 ? 0 : MESSAGE_KEY_MULTIPLE - (copies.length % MESSAGE_KEY_MULTIPLE);
    if (junkCount > 0) {
      const junk = s.randombytes_buf_deterministic(junkCount * ENCRYPTED_KEY_BYTES, keyedHash(32, JUNK_HASH_KEY, h1, secret));
      for (let i = 0; i < junkCount; i++) copies.push(junk.subarray(i * ENCRYPTED_KEY_BYTES, (i + 1) * ENCRYPTED_KEY_BYTES));
    }
    const w = new BtWriter().raw('d');
    w.string('#').string(bytesToBinary(nonce));
    w.string('G').int(generation);
    w.string('K').string(bytesToBinary(adminCopy));
    w.string('k').value(copies.map(bytesToBinary));
    const message = this.signed(w);
    this.pending = { key, generation, message };
    this.needsDump = true;
    return message;
  }

  /**
   * Gives `memberIds` the keys we hold (an invitation with history), as a message for namespace
   * 12. The nonce is derived, so admins repeating it produce the same message.
   */
  keySupplement(memberIds: readonly string[]): Uint8Array {
    this.adminSecret();
    if (this.keys.length === 0) throw new GroupKeysError('no keys to supplement yet');
    const list = new BtWriter().value(
      this.keys.map((k) => new Map<string, BtValue>([['g', BigInt(k.generation)], ['k', bytesToBinary(k.key)], ['t', BigInt(k.timestampMs)]])),
    ).bytes();
    const ids = memberIds.map((m) => m.toLowerCase());
    const nonce = keyedHash(NONCE_BYTES, KEY_GEN_HASH_KEY, ...ids.map((m) => Buffer.from(m, 'ascii')), list, this.seedHash(SEED_HASH_KEY));
    const copies = encryptForMultiple([list], ids.map(sessionIdKey), nonce, this.groupX25519(), MEMBER_KEY_DOMAIN);
    if (copies.length === 0) throw new GroupKeysError('no valid Session ID to give the keys to');
    const w = new BtWriter().raw('d');
    w.string('#').string(bytesToBinary(nonce));
    w.string('+').value(copies.map(bytesToBinary));
    w.string('G').int(this.keys[this.keys.length - 1].generation);
    return this.signed(w);
  }

  /**
   * Reads a message from namespace 12 (`timestampMs`: when the swarm stored it). Returns true
   * when it held a key for us. Throws GroupKeysError for a malformed or unsigned message.
   */
  loadKeyMessage(hash: string, data: Uint8Array, timestampMs: number): boolean {
    let entries;
    try {
      entries = decodeDictEntries(data);
    } catch (err) {
      throw new GroupKeysError(`key message is not bencoded: ${(err as Error).message}`);
    }
    const get = (k: string) => entries.find((e) => e.key === k)?.value;
    const nonceValue = get('#');
    if (typeof nonceValue !== 'string' || nonceValue.length !== NONCE_BYTES) throw new GroupKeysError('Key message has no nonce');
    const nonce = binaryToBytes(nonceValue);
    const own = this.admin ? undefined : { secretKey: ed25519SecretKeyToX25519(this.userSecret), publicKey: ed25519PublicKeyToX25519(this.userSecret.subarray(32)) };
    const groupX = ed25519PublicKeyToX25519(this.groupPublic);
    const found: GroupKey[] = [];
    let maxGeneration: number | undefined;

    const supplement = get('+');
    if (supplement !== undefined) {
      if (!Array.isArray(supplement)) throw new GroupKeysError('Supplemental key list is not a list');
      const copies = supplement.map((c, i) => {
        // The smallest key list (one key, generation and time 0) is 52 bytes before encryption.
        if (typeof c !== 'string' || c.length < 52 + 16) throw new GroupKeysError(`Supplemental key message has invalid key info size at index ${i}`);
        return binaryToBytes(c);
      });
      const plain = own && decryptForMultiple(copies, nonce, own, groupX, MEMBER_KEY_DOMAIN);
      if (plain) found.push(...parseKeyList(plain));
      const g = get('G');
      if (typeof g !== 'bigint') throw new GroupKeysError('Supplemental key message missing required max generation field (G)');
      maxGeneration = Number(g);
    } else {
      const g = get('G');
      if (typeof g !== 'bigint') throw new GroupKeysError('Key message missing required generation (G) field');
      if (g < 0n) throw new GroupKeysError('Key message contains invalid negative generation');
      const generation = Number(g);
      const adminCopy = get('K');
      if (typeof adminCopy !== 'string' || adminCopy.length !== ENCRYPTED_KEY_BYTES) throw new GroupKeysError('Key message has invalid admin key length');
      let key: Uint8Array | undefined;
      if (this.admin) {
        try {
          key = sodium().crypto_aead_xchacha20poly1305_ietf_decrypt(null, binaryToBytes(adminCopy), null, nonce, this.seedHash(ADMIN_KEY_HASH_KEY));
        } catch {
          throw new GroupKeysError('Failed to decrypt admin key from key message');
        }
      }
      const list = get('k');
      if (!Array.isArray(list)) throw new GroupKeysError('Config is missing member keys list (k)');
      const copies = list.map((c, i) => {
        if (typeof c !== 'string' || c.length !== ENCRYPTED_KEY_BYTES) throw new GroupKeysError(`Key message has invalid member key length at index ${i}`);
        return binaryToBytes(c);
      });
      if (copies.length % MESSAGE_KEY_MULTIPLE !== 0) throw new GroupKeysError('Member key list has wrong size (missing junk key padding?)');
      if (!key && own) key = decryptForMultiple(copies, nonce, own, groupX, MEMBER_KEY_DOMAIN);
      if (key) found.push({ key, generation, timestampMs });
      else maxGeneration = generation;
    }
    this.verifySignature(entries, data);

    if (this.pending && found.length > 0 && (found[0].generation > this.pending.generation || sameBytes(found[0].key, this.pending.key))) {
      this.pending = undefined;
      this.needsDump = true;
    }
    if (found.length > 0) {
      for (const k of found) this.insertKey(hash, k);
      return true;
    }
    if (maxGeneration !== undefined) {
      this.activeSet(maxGeneration).add(hash);
      this.removeExpired();
      this.needsDump = true;
    }
    return false;
  }

  /** This device's state (libsession's dump layout: A active hashes, L keys, P pending). */
  dump(): Uint8Array {
    const w = new BtWriter().raw('d');
    w.string('A').raw('l');
    for (const generation of [...this.active.keys()].sort((a, b) => a - b)) {
      w.raw('l').int(generation);
      for (const h of [...this.active.get(generation)!].sort()) w.string(h);
      w.raw('e');
    }
    w.raw('e');
    w.string('L').value(this.keys.map((k) => new Map<string, BtValue>([['g', BigInt(k.generation)], ['k', bytesToBinary(k.key)], ['t', BigInt(k.timestampMs)]])));
    if (this.pending) {
      w.string('P').value(
        new Map<string, BtValue>([
          ['c', bytesToBinary(this.pending.message)],
          ['g', BigInt(this.pending.generation)],
          ['k', bytesToBinary(this.pending.key)],
        ]),
      );
    }
    this.needsDump = false;
    return w.raw('e').bytes();
  }

  private loadDump(dump: Uint8Array): void {
    const d = decodeBt(dump);
    if (!isBtDict(d)) throw new GroupKeysError('Invalid Keys dump');
    const active = d.get('A');
    const keys = d.get('L');
    if (!Array.isArray(active)) throw new GroupKeysError('Invalid Keys dump: `active` not found');
    if (!Array.isArray(keys)) throw new GroupKeysError('Invalid Keys dump: `keys` not found');
    for (const row of active) {
      if (!Array.isArray(row) || typeof row[0] !== 'bigint') throw new GroupKeysError('Invalid Keys dump: bad active row');
      const set = this.activeSet(Number(row[0]));
      for (const h of row.slice(1)) if (typeof h === 'string') set.add(h);
    }
    this.keys = keys.map((k) => {
      if (!isBtDict(k)) throw new GroupKeysError('Invalid Keys dump: bad key');
      const g = k.get('g');
      const key = k.get('k');
      const t = k.get('t');
      if (typeof g !== 'bigint' || typeof key !== 'string' || key.length !== KEY_BYTES || typeof t !== 'bigint') throw new GroupKeysError('Invalid Keys dump: bad key');
      return { generation: Number(g), key: binaryToBytes(key), timestampMs: Number(t) };
    });
    for (let i = 1; i < this.keys.length; i++) if (compareKeys(this.keys[i - 1], this.keys[i]) >= 0) throw new GroupKeysError('Invalid Keys dump: keys are not in proper sorted order');
    const pending = d.get('P');
    if (isBtDict(pending)) {
      const c = pending.get('c');
      const g = pending.get('g');
      const k = pending.get('k');
      if (typeof c !== 'string' || typeof g !== 'bigint' || typeof k !== 'string' || k.length !== KEY_BYTES) throw new GroupKeysError('Invalid Keys dump: bad pending key');
      this.pending = { message: binaryToBytes(c), generation: Number(g), key: binaryToBytes(k) };
    }
  }

  private insertKey(hash: string, key: GroupKey): void {
    if (this.keys.some((k) => k.generation === key.generation && sameBytes(k.key, key.key))) {
      this.activeSet(key.generation).add(hash);
      return;
    }
    let at = this.keys.findIndex((k) => compareKeys(k, key) >= 0);
    if (at < 0) at = this.keys.length;
    const first = this.keys[0];
    const last = this.keys[this.keys.length - 1];
    // Older than everything we keep, which has itself long been superseded: stale.
    if (this.keys.length >= 2 && at === 0 && key.generation < first.generation && first.timestampMs + KEY_EXPIRY_MS < last.timestampMs) return;
    this.activeSet(key.generation).add(hash);
    this.keys.splice(at, 0, key);
    this.removeExpired();
    this.needsDump = true;
  }

  /** Drops generations superseded more than KEY_EXPIRY ago (by the swarm's clock), and their hashes. */
  private removeExpired(): void {
    if (this.keys.length >= 2) {
      const newest = this.keys[this.keys.length - 1].timestampMs;
      let keepFrom = 0;
      let i = 0;
      while (i < this.keys.length) {
        let next = i + 1;
        while (next < this.keys.length && this.keys[next].generation === this.keys[i].generation) next++;
        if (next >= this.keys.length) break;
        if (this.keys[next].timestampMs + KEY_EXPIRY_MS < newest) keepFrom = next;
        else break;
        i = next;
      }
      if (keepFrom > 0) this.keys.splice(0, keepFrom);
    }
    if (this.keys.length === 0) {
      this.active.clear();
      return;
    }
    for (const generation of [...this.active.keys()]) if (generation < this.keys[0].generation) this.active.delete(generation);
  }

  private activeSet(generation: number): Set<string> {
    let set = this.active.get(generation);
    if (!set) this.active.set(generation, (set = new Set()));
    return set;
  }

  private verifySignature(entries: ReturnType<typeof decodeDictEntries>, data: Uint8Array): void {
    const last = entries[entries.length - 1];
    if (!last || last.key !== '~') throw new GroupKeysError('Config signature is missing');
    if (typeof last.value !== 'string' || last.value.length !== 64) throw new GroupKeysError('Config signature is invalid (not 64B)');
    if (!verifyEd25519(binaryToBytes(last.value), data.subarray(0, last.start), this.groupPublic)) throw new GroupKeysError('Config signature failed verification');
  }

  private signed(w: BtWriter): Uint8Array {
    const signature = signEd25519(this.adminSecret(), w.bytes());
    return w.string('~').string(bytesToBinary(signature)).raw('e').bytes();
  }

  /** BLAKE2b-32 of the group seed under `key` (libsession seed_hash). */
  private seedHash(key: string): Uint8Array {
    return keyedHash(32, key, this.adminSecret().subarray(0, 32));
  }

  private groupX25519() {
    const secret = this.adminSecret();
    return { secretKey: ed25519SecretKeyToX25519(secret), publicKey: ed25519PublicKeyToX25519(secret.subarray(32)) };
  }
}

function parseKeyList(plain: Uint8Array): GroupKey[] {
  let list: BtValue;
  try {
    list = decodeBt(plain);
  } catch {
    throw new GroupKeysError('Invalid supplemental key message: not a bencoded list');
  }
  if (!Array.isArray(list)) throw new GroupKeysError('Invalid supplemental key message: not a list');
  return list.map((entry) => {
    if (!isBtDict(entry)) throw new GroupKeysError('Invalid supplemental key message: entry is not a dict');
    const g = entry.get('g');
    const k = entry.get('k');
    const t = entry.get('t');
    if (typeof g !== 'bigint') throw new GroupKeysError('Invalid supplemental key message: no `g` generation');
    if (typeof k !== 'string' || k.length !== KEY_BYTES) throw new GroupKeysError('Invalid supplemental key message: `k` key has wrong size');
    if (typeof t !== 'bigint') throw new GroupKeysError('Invalid supplemental key message: no `t` timestamp');
    return { generation: Number(g), key: binaryToBytes(k), timestampMs: Number(t) };
  });
}
