// One config of the account as a device holds it (libsession ConfigBase): the current message, its
// state (clean, dirty = changed here, waiting = pushed but not confirmed), the hash of the stored
// message it came from, and the hashes it made obsolete (deleted from the swarm with the next push).
// Changes go through Field, which only starts a new seqno when a value really changes, exactly as
// libsession's DictFieldProxy does; that is what keeps seqnos and bytes equal to the apps'.
import { BtWriter, Bytes, bytesToBinary, binaryToBytes, decodeBt, isBtDict } from './bencode';
import { ConfigDict, ConfigParseError, DictValue, isConfigDict, isScalar, parseData, Scalar, ScalarSet, writeData } from './config-data';
import { ConfigKind, openConfig, sealConfig } from './config-envelope';
import { ConfigMessage, MessageOptions, MutableConfigMessage } from './config-message';
import { signEd25519, verifyEd25519 } from '@starling/crypto';

export enum ConfigState {
  Clean = 0,
  Dirty = 1,
  Waiting = 2,
}

export interface StoredConfig {
  hash: string;
  data: Uint8Array;
}

/** The Ed25519 keys of a signed config (group configs: the group's). */
export interface ConfigSigningKeys {
  publicKey: Uint8Array;
  /** 64 bytes; admins only. */
  secretKey?: Uint8Array;
}

export interface PushData {
  seqno: number;
  data: Uint8Array;
  /** Hashes of stored messages this one makes obsolete (delete them once it is stored). */
  obsolete: string[];
}

export class ConfigObject {
  private message: ConfigMessage;
  private state = ConfigState.Clean;
  private currentHash = '';
  private readonly oldHashes = new Set<string>();
  private options: MessageOptions = {};
  /** True when something changed that a dump() should save. */
  needsDump = false;

  /** Encryption keys, the first one encrypts (an account config: its seed; a group config: the group keys). */
  private keys: Uint8Array[] = [];

  /**
   * `key` is the account's Ed25519 seed, the key of every account config; without it the config
   * can be read and changed locally but not pushed or merged. Group configs are given their keys
   * later (replaceKeys) and `signing`: the group's Ed25519 key that signs every message (its
   * secret key only for admins; without it the config is read-only).
   */
  constructor(
    readonly kind: ConfigKind,
    key: Uint8Array | undefined,
    dump?: Uint8Array,
    signing?: ConfigSigningKeys,
  ) {
    if (key && key.length !== 32) throw new Error(`${kind.domain} needs a 32-byte key`);
    if (key) this.keys = [key];
    this.message = ConfigMessage.empty();
    if (dump) this.loadDump(dump);
    // As libsession: a dump is loaded without checking signatures, then the keys apply.
    if (signing) this.setSigningKeys(signing);
  }

  /** Sets the keys that sign and verify every message (a promotion adds the secret key). */
  setSigningKeys(signing: ConfigSigningKeys): void {
    const { publicKey, secretKey } = signing;
    if (publicKey.length !== 32) throw new Error('Invalid pubkey: expected 32 bytes');
    if (secretKey && (secretKey.length !== 64 || !Buffer.from(secretKey.subarray(32)).equals(Buffer.from(publicKey)))) {
      throw new Error('Invalid signing keys: secret key and pubkey do not match');
    }
    this.options = {
      ...this.options,
      verifier: (signed, signature) => verifyEd25519(signature, signed, publicKey),
      signer: secretKey ? (toSign) => signEd25519(secretKey, toSign) : undefined,
    };
    this.message.verifier = this.options.verifier;
    this.message.signer = this.options.signer;
  }

  /**
   * Replaces the encryption keys (newest first; libsession replace_keys). When the first key
   * changes and `dirty` is set, the config is re-encrypted with the next push.
   */
  replaceKeys(keys: readonly Uint8Array[], dirty: boolean): void {
    for (const k of keys) if (k.length !== 32) throw new Error('replace_keys failed: keys must be 32 bytes');
    const unique = keys.filter((k, i) => keys.findIndex((o) => Buffer.from(o).equals(Buffer.from(k))) === i);
    const firstChanged = unique.length > 0 && (this.keys.length === 0 || !Buffer.from(this.keys[0]).equals(Buffer.from(unique[0])));
    const hadKeys = this.keys.length > 0;
    this.keys = unique.map((k) => k.slice());
    if (dirty && !this.isReadonly() && (firstChanged || (hadKeys && unique.length === 0))) this.dirty();
  }

  hasKeys(): boolean {
    return this.keys.length > 0;
  }

  get seqno(): number {
    return this.message.seqno;
  }

  get data(): ConfigDict {
    return this.message.data;
  }

  isDirty(): boolean {
    return this.state === ConfigState.Dirty;
  }

  isClean(): boolean {
    return this.state === ConfigState.Clean;
  }

  needsPush(): boolean {
    return !this.isClean();
  }

  isReadonly(): boolean {
    return !!this.options.verifier && !this.options.signer;
  }

  /** Hash of the stored message this config currently is (empty when unknown). */
  currentHashes(): string[] {
    return this.currentHash ? [this.currentHash] : [];
  }

  /** A field of the data, e.g. field('c', sessionIdBytes, 'n'). */
  field(...path: Bytes[]): Field {
    return new Field(this, path);
  }

  /** The message, made changeable with a new seqno on the first change since the last push. */
  dirty(): MutableConfigMessage {
    if (this.state !== ConfigState.Dirty) {
      this.setState(ConfigState.Dirty);
      this.message = MutableConfigMessage.incrementFrom(this.message);
    } else {
      this.needsDump = true;
    }
    if (!(this.message instanceof MutableConfigMessage)) throw new Error('internal error: dirty config is not mutable');
    return this.message;
  }

  /**
   * Takes messages retrieved from the namespace (libsession ConfigBase::merge). Returns the hashes
   * that were readable configs; the others (not ours, damaged, unknown format) are left alone.
   */
  merge(configs: readonly StoredConfig[]): string[] {
    if (this.keys.length === 0) throw new Error(`Cannot merge ${this.kind.domain} configs without any decryption keys`);
    const oldSeqno = this.message.seqno;
    const hashes: string[] = [];
    const messages: Uint8Array[] = [];
    let hasMine = false;
    if (oldSeqno !== 0 || this.isDirty()) {
      hashes.push(this.currentHash);
      messages.push(this.message.serialize());
      hasMine = true;
    }
    const accepted = new Set<string>();
    for (const stored of configs) {
      let plain: Uint8Array | undefined;
      for (const key of this.keys) if ((plain = openConfig(this.kind, key, stored.data))) break;
      if (!plain) continue;
      accepted.add(stored.hash);
      hashes.push(stored.hash);
      messages.push(plain);
    }
    if (messages.length === 0) return [];

    const bad = new Set<number>();
    const onError = (i: number) => bad.add(i);
    let next: ConfigMessage;
    try {
      next = this.isDirty() ? MutableConfigMessage.loadForChange(messages, this.options, onError) : ConfigMessage.load(messages, this.options, onError);
    } catch (err) {
      // Nothing of ours to merge into and nothing valid came (e.g. all forged): nothing to take.
      if (!hasMine && err instanceof ConfigParseError) return [];
      throw err;
    }
    if (hasMine && bad.has(0)) throw new Error(`internal error: cannot read back our own ${this.kind.domain} config`);

    for (const [i, hash] of hashes.entries()) if (i !== next.unmergedIndex && !bad.has(i) && hash) this.oldHashes.add(hash);
    if (next.seqno !== oldSeqno) {
      if (next.merged) {
        this.message = this.isDirty() ? next : MutableConfigMessage.keepSeqno(next);
        this.setState(ConfigState.Dirty);
      } else if (this.isDirty() && next.unmergedIndex === 0 && next.seqno === oldSeqno + 1) {
        // Loading for change always increments; nothing else was newer, so keep what we have.
      } else {
        this.message = next;
        this.setState(ConfigState.Clean);
        this.currentHash = hashes[next.unmergedIndex];
      }
    } else {
      // Merging our current message again must not mark it obsolete.
      this.oldHashes.delete(this.currentHash);
    }
    for (const [i, hash] of hashes.entries()) if (bad.has(i)) accepted.delete(hash);
    this.needsDump = true;
    return [...accepted];
  }

  /** The message to store now, and the hashes it makes obsolete (handed out once). */
  push(): PushData {
    const seqno = this.message.seqno;
    const data = sealConfig(this.kind, this.key(), seqno, this.message.serialize());
    if (this.isDirty()) this.setState(ConfigState.Waiting);
    const obsolete = this.isReadonly() ? [] : [...this.oldHashes].sort();
    this.oldHashes.clear();
    return { seqno, data, obsolete };
  }

  /** Stored messages to delete with the next push (e.g. after a failed delete). */
  addObsolete(hashes: Iterable<string>): void {
    for (const h of hashes) if (h && h !== this.currentHash) this.oldHashes.add(h);
    this.needsDump = true;
  }

  hasObsolete(): boolean {
    return this.oldHashes.size > 0;
  }

  private key(): Uint8Array {
    if (this.keys.length === 0) throw new Error(`the ${this.kind.domain} config has no encryption key`);
    return this.keys[0];
  }

  /** The swarm stored the message pushed at `seqno` under `hash`. */
  confirmPushed(seqno: number, hash: string): void {
    if (this.state === ConfigState.Waiting && seqno === this.message.seqno) {
      this.setState(ConfigState.Clean);
      this.currentHash = hash;
    }
  }

  /** Everything needed to carry on after a restart (libsession's dump format). */
  dump(): Uint8Array {
    if (this.isReadonly()) this.oldHashes.clear();
    const w = new BtWriter().raw('d');
    w.string('!').int(this.state);
    w.string('$').string(bytesToBinary(this.message.serialize(false)));
    w.string('(').string(this.currentHash);
    w.string(')').value([...this.oldHashes].sort());
    // libsession reloads a dirty dump as a further change (a seqno skipped each time); a command
    // line reopens its configs all the time, so a change in progress also keeps the data it
    // started from ("+" is libsession's slot for such extras) and resumes with the same seqno.
    w.string('+').raw('d');
    if (this.state === ConfigState.Dirty && this.message instanceof MutableConfigMessage) {
      w.string('o');
      writeData(w, this.message.originalData());
    }
    w.raw('e');
    this.needsDump = false;
    return w.raw('e').bytes();
  }

  private loadDump(dump: Uint8Array): void {
    const d = decodeBt(dump);
    if (!isBtDict(d)) throw new Error('config dump is not a dict');
    const state = d.get('!');
    const data = d.get('$');
    if (typeof state !== 'bigint' || !(Number(state) in ConfigState)) throw new Error('config dump has no valid state');
    if (typeof data !== 'string') throw new Error('config dump has no data');
    this.state = Number(state) as ConfigState;
    const bytes = binaryToBytes(data);
    const extra = d.get('+');
    const original = isBtDict(extra) ? extra.get('o') : undefined;
    if (this.state === ConfigState.Dirty && original !== undefined) {
      this.message = MutableConfigMessage.resume(ConfigMessage.parse(bytes, this.options), parseData(original, true));
    } else if (this.state === ConfigState.Dirty) {
      // libsession's own dirty dump: loaded as a change again (one seqno skipped).
      this.message = MutableConfigMessage.loadForChange([bytes], this.options, (_, err) => {
        throw err;
      });
    } else {
      this.message = ConfigMessage.parse(bytes, { ...this.options, trustSignature: true });
    }
    const current = d.get('(');
    if (typeof current === 'string') this.currentHash = current;
    else if (Array.isArray(current) && typeof current[0] === 'string') this.currentHash = current[0];
    const old = d.get(')');
    if (Array.isArray(old)) for (const h of old) if (typeof h === 'string') this.oldHashes.add(h);
  }

  private setState(state: ConfigState): void {
    if (state === ConfigState.Dirty && this.isReadonly()) throw new Error('Unable to make changes to a read-only config object');
    if (this.state === ConfigState.Clean && this.currentHash) {
      this.oldHashes.add(this.currentHash);
      this.currentHash = '';
    }
    this.state = state;
    this.needsDump = true;
  }
}

/** A path into a config's data, read without changing anything and written only on change. */
export class Field {
  constructor(
    private readonly config: ConfigObject,
    private readonly path: Bytes[],
  ) {}

  get(): DictValue | undefined {
    let node: DictValue | undefined = this.config.data;
    for (const key of this.path) {
      if (!isConfigDict(node)) return undefined;
      node = node.get(key);
    }
    return node;
  }

  string(): Bytes | undefined {
    const v = this.get();
    return typeof v === 'string' ? v : undefined;
  }

  integer(): bigint | undefined {
    const v = this.get();
    return typeof v === 'bigint' ? v : undefined;
  }

  set(): ScalarSet | undefined {
    const v = this.get();
    return v instanceof ScalarSet ? v : undefined;
  }

  dict(): ConfigDict | undefined {
    const v = this.get();
    return isConfigDict(v) ? v : undefined;
  }

  exists(): boolean {
    return this.get() !== undefined;
  }

  assign(value: Scalar | number): void {
    const scalar: Scalar = typeof value === 'number' ? BigInt(value) : value;
    if (!this.config.isDirty()) {
      const current = this.get();
      if (isScalar(current) && typeof current === typeof scalar && current === scalar) return;
    }
    this.parentForWrite().set(this.last, scalar);
  }

  /** A set value; an empty set is an erase. */
  assignSet(values: Iterable<Scalar>): void {
    const set = new ScalarSet(values);
    if (set.size === 0) return this.erase();
    if (!this.config.isDirty()) {
      const current = this.set();
      if (current && current.size === set.size && current.values().every((v, i) => v === set.values()[i])) return;
    }
    this.parentForWrite().set(this.last, set);
  }

  erase(): void {
    if (!this.config.isDirty() && !this.exists()) return;
    const parent = this.existingParent(this.config.dirty().data);
    parent?.delete(this.last);
  }

  setInsert(value: Scalar): void {
    if (!this.config.isDirty() && this.set()?.has(value)) return;
    const parent = this.parentForWrite();
    let set = parent.get(this.last);
    if (!(set instanceof ScalarSet)) {
      set = new ScalarSet();
      parent.set(this.last, set);
    }
    set.insert(value);
  }

  setErase(value: Scalar): void {
    const current = this.set();
    if (!this.config.isDirty() && current && !current.has(value)) return;
    const parent = this.existingParent(this.config.dirty().data);
    const v = parent?.get(this.last);
    if (v === undefined || !parent) return;
    if (v instanceof ScalarSet) v.erase(value);
    else parent.set(this.last, new ScalarSet());
  }

  /** flag: 1 when true, absent when false (libsession set_flag). */
  flag(on: boolean): void {
    if (on) this.assign(1);
    else this.erase();
  }

  positive(value: number): void {
    if (value > 0) this.assign(value);
    else this.erase();
  }

  nonZero(value: number): void {
    if (value !== 0) this.assign(value);
    else this.erase();
  }

  nonEmpty(value: Bytes): void {
    if (value !== '') this.assign(value);
    else this.erase();
  }

  private get last(): Bytes {
    return this.path[this.path.length - 1];
  }

  /** Walks to the parent dict, creating dicts (and replacing non-dicts) on the way. */
  private parentForWrite(): ConfigDict {
    let node = this.config.dirty().data;
    for (const key of this.path.slice(0, -1)) {
      let next = node.get(key);
      if (!isConfigDict(next)) {
        next = new Map();
        node.set(key, next);
      }
      node = next;
    }
    return node;
  }

  private existingParent(root: ConfigDict): ConfigDict | undefined {
    let node: ConfigDict = root;
    for (const key of this.path.slice(0, -1)) {
      const next = node.get(key);
      if (!isConfigDict(next)) return undefined;
      node = next;
    }
    return node;
  }
}

/** Both kinds of pair set or cleared together (libsession set_pair_if). */
export function setPairIf(condition: boolean, first: Field, firstValue: Scalar, second: Field, secondValue: Scalar): void {
  if (condition) {
    first.assign(firstValue);
    second.assign(secondValue);
  } else {
    first.erase();
    second.erase();
  }
}
