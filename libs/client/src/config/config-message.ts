// One config message, bencoded as libsession writes it (docs/config-merge-logic.md):
//   d 1:# seqno  1:& data  1:< [[seqno, hash, diff]...]  1:= diff  [1:~ 64-byte signature] e
// with unknown top-level keys (from newer clients) kept in their places. The hash of a message is
// the unkeyed BLAKE2b-32 of its bytes. Loading several messages resolves conflicts exactly as
// libsession does, so every device that sees the same messages builds the same merged message.
import { blake2b } from '@starling/crypto';
import { binaryToBytes, BtDict, BtParseError, BtValue, BtWriter, Bytes, bytesToBinary, decodeDictEntries, isBtDict } from './bencode';
import { applyDiff, checkDiff, cloneDict, ConfigDict, ConfigParseError, diffDicts, parseData, pruneDict, writeData } from './config-data';

/** How many seqnos of diffs a message carries for merging (libsession's DEFAULT_DIFF_LAGS). */
export const DEFAULT_LAG = 5;
const HASH_BYTES = 32;
const SIGNATURE_BYTES = 64;

export class ConfigSignatureError extends ConfigParseError {}
export class MissingSignatureError extends ConfigSignatureError {}

/** Checks a signature over `signed`; false drops the message. */
export type ConfigVerifier = (signed: Uint8Array, signature: Uint8Array) => boolean;
/** Returns the 64-byte signature over `toSign`. */
export type ConfigSigner = (toSign: Uint8Array) => Uint8Array;

export interface LaggedDiff {
  seqno: number;
  /** BLAKE2b-32 of the message, as a byte string. */
  hash: Bytes;
  diff: BtDict;
}

export interface MessageOptions {
  verifier?: ConfigVerifier;
  signer?: ConfigSigner;
  lag?: number;
}

function compareVersion(a: { seqno: number; hash: Bytes }, b: { seqno: number; hash: Bytes }): number {
  if (a.seqno !== b.seqno) return a.seqno < b.seqno ? -1 : 1;
  return a.hash < b.hash ? -1 : a.hash > b.hash ? 1 : 0;
}

const versionKey = (v: { seqno: number; hash: Bytes }): string => `${v.seqno}:${v.hash}`;

export function hashMessage(serialized: Uint8Array): Bytes {
  return bytesToBinary(blake2b(serialized, HASH_BYTES));
}

export class ConfigMessage {
  seqno = 0;
  data: ConfigDict = new Map();
  /** The diff this message applied (its "=" value). */
  protected ownDiff: BtDict = new Map();
  /** Diffs of earlier messages, sorted by (seqno, hash), unique. */
  lagged: LaggedDiff[] = [];
  /** Top-level keys this client does not know, written back where they were. */
  unknown: BtDict = new Map();
  protected messageHash: Bytes = '';
  verifiedSignature?: Uint8Array;
  verifier?: ConfigVerifier;
  signer?: ConfigSigner;
  lag = DEFAULT_LAG;
  /** -1 when built by merging; otherwise the index (in the given list) of the message used as is. */
  unmergedIndex = -1;

  /**
   * An empty seqno-0 message. Its hash is taken now, as libsession's default constructor does:
   * a signer set later must not change it (the next message lists it among its lagged diffs).
   */
  static empty(options: MessageOptions = {}): ConfigMessage {
    const m = new ConfigMessage();
    m.applyOptions(options);
    m.messageHash = hashMessage(m.serialize());
    return m;
  }

  /** Parses one serialized message; throws ConfigParseError (or a signature error). */
  static parse(serialized: Uint8Array, options: MessageOptions & { trustSignature?: boolean } = {}): ConfigMessage {
    const m = new ConfigMessage();
    m.applyOptions(options);
    m.load(serialized, options.trustSignature === true);
    return m;
  }

  /**
   * Loads several messages and resolves them (libsession's ConfigMessage(vector) constructor):
   * messages included in another's lagged diffs, duplicates, and those `lag` or more seqnos behind
   * the newest are dropped; if one is left it is used as is, otherwise they are merged into a new
   * message with the next seqno. `onError` hears about each message that fails to load.
   */
  static load(configs: readonly Uint8Array[], options: MessageOptions = {}, onError?: (index: number, err: Error) => void): ConfigMessage {
    const loaded: Array<{ index: number; message: ConfigMessage; redundant: boolean }> = [];
    configs.forEach((bytes, index) => {
      try {
        loaded.push({ index, message: ConfigMessage.parse(bytes, options), redundant: false });
      } catch (err) {
        if (!(err instanceof ConfigParseError || err instanceof BtParseError)) throw err;
        onError?.(index, err);
      }
    });
    if (loaded.length === 0) throw new ConfigParseError('Config initialization failed: no valid config messages given');

    const lag = options.lag ?? DEFAULT_LAG;
    const maxSeqno = Math.max(...loaded.map((c) => c.message.seqno));
    for (const [i, c] of loaded.entries()) {
      const own = versionKey(c.message.version());
      c.redundant = loaded.some((o, j) => j !== i && (o.message.hasLagged(own) || (j < i && versionKey(o.message.version()) === own)));
      if (c.message.seqno + lag <= maxSeqno) c.redundant = true;
    }
    const current = loaded.filter((c) => !c.redundant);
    if (current.length === 1) {
      const only = current[0].message;
      only.unmergedIndex = current[0].index;
      return only;
    }
    // Verifying but unable to sign: keep the best one and let a signer merge later.
    if (options.verifier && !options.signer) {
      const best = current.reduce((a, b) => (compareVersion(a.message.version(), b.message.version()) >= 0 ? a : b));
      best.message.unmergedIndex = best.index;
      return best.message;
    }
    return ConfigMessage.merge(current.map((c) => c.message), maxSeqno, options);
  }

  private static merge(messages: ConfigMessage[], maxSeqno: number, options: MessageOptions): ConfigMessage {
    // Highest (seqno, hash) first: its data is the base, and its copy of a replayed diff wins.
    const ranked = [...messages].sort((a, b) => compareVersion(b.version(), a.version()));
    const merged = new ConfigMessage();
    merged.applyOptions(options);
    merged.seqno = maxSeqno + 1;
    merged.data = cloneDict(ranked[0].data);
    const replay = new Map<string, { version: { seqno: number; hash: Bytes }; source: ConfigDict; diff: BtDict }>();
    for (const m of ranked) {
      const own = m.version();
      if (!replay.has(versionKey(own))) replay.set(versionKey(own), { version: own, source: m.data, diff: m.ownDiff });
      for (const l of m.lagged) if (!replay.has(versionKey(l))) replay.set(versionKey(l), { version: l, source: m.data, diff: l.diff });
    }
    for (const entry of [...replay.values()].sort((a, b) => compareVersion(a.version, b.version))) {
      applyDiff(merged.data, entry.diff, entry.source);
      merged.lagged.push({ ...entry.version, diff: entry.diff });
    }
    pruneDict(merged.data);
    merged.unmergedIndex = -1;
    merged.messageHash = hashMessage(merged.serializeWith(merged.ownDiff, true));
    return merged;
  }

  get merged(): boolean {
    return this.unmergedIndex === -1;
  }

  get hash(): Bytes {
    if (this.messageHash === '') this.messageHash = hashMessage(this.serialize());
    return this.messageHash;
  }

  version(): { seqno: number; hash: Bytes } {
    return { seqno: this.seqno, hash: this.hash };
  }

  hasLagged(key: string): boolean {
    return this.lagged.some((l) => versionKey(l) === key);
  }

  diff(): BtDict {
    return this.ownDiff;
  }

  /** The message's bytes; signed when a signer is set and `signing` is not false. */
  serialize(signing = true): Uint8Array {
    return this.serializeWith(this.diff(), signing);
  }

  /** A mutable message with the next seqno whose diff records changes made from now on. */
  increment(): MutableConfigMessage {
    return MutableConfigMessage.incrementFrom(this);
  }

  protected applyOptions(options: MessageOptions): void {
    this.verifier = options.verifier;
    this.signer = options.signer;
    this.lag = options.lag ?? DEFAULT_LAG;
  }

  protected copyFrom(other: ConfigMessage): void {
    this.seqno = other.seqno;
    this.data = cloneDict(other.data);
    this.ownDiff = other.ownDiff;
    this.lagged = other.lagged.map((l) => ({ ...l }));
    this.unknown = other.unknown;
    this.messageHash = other.messageHash;
    this.verifiedSignature = other.verifiedSignature;
    this.verifier = other.verifier;
    this.signer = other.signer;
    this.lag = other.lag;
    this.unmergedIndex = other.unmergedIndex;
  }

  protected serializeWith(diff: BtDict, signing: boolean): Uint8Array {
    const w = new BtWriter().raw('d').string('#').int(this.seqno);
    const unknownKeys = [...this.unknown.keys()].sort();
    let u = 0;
    const unknownBefore = (until: string) => {
      for (; u < unknownKeys.length && unknownKeys[u] < until; u++) w.string(unknownKeys[u]).value(this.unknown.get(unknownKeys[u])!);
    };
    unknownBefore('&');
    w.string('&');
    writeData(w, this.data);
    unknownBefore('<');
    w.string('<').raw('l');
    for (const l of this.lagged) {
      if (l.seqno <= this.seqno - this.lag || l.seqno >= this.seqno) continue;
      w.raw('l').int(l.seqno).string(l.hash).value(l.diff).raw('e');
    }
    w.raw('e');
    unknownBefore('=');
    w.string('=').value(diff);
    unknownBefore('~');
    if (this.verifiedSignature) {
      w.string('~').string(bytesToBinary(this.verifiedSignature));
    } else if (this.signer && signing) {
      const signature = this.signer(w.bytes());
      if (signature.length !== SIGNATURE_BYTES) throw new Error('Invalid signature: signing function did not return 64 bytes');
      w.string('~').string(bytesToBinary(signature));
    }
    return w.raw('e').bytes();
  }

  private load(serialized: Uint8Array, trustSignature: boolean): void {
    let entries;
    try {
      entries = decodeDictEntries(serialized);
    } catch (err) {
      throw new ConfigParseError(`Failed to parse config file: ${(err as Error).message}`);
    }
    this.messageHash = hashMessage(serialized);
    const first = entries[0];
    if (!first || first.key !== '#' || typeof first.value !== 'bigint') throw new ConfigParseError('Invalid config: first key must be "#"');
    this.seqno = safeSeqno(first.value);
    let i = 1;
    const takeUnknownBefore = (until: string) => {
      for (; i < entries.length && entries[i].key < until; i++) this.unknown.set(entries[i].key, entries[i].value);
    };
    takeUnknownBefore('&');
    if (entries[i]?.key !== '&' || !isBtDict(entries[i].value)) throw new ConfigParseError('Invalid config: "&" data dict not found');
    this.data = parseData(entries[i++].value, true);
    takeUnknownBefore('<');
    if (entries[i]?.key === '<') this.lagged = parseLagged(entries[i++].value, this.seqno, this.lag);
    takeUnknownBefore('=');
    if (entries[i]?.key === '=') this.ownDiff = checkDiff(entries[i++].value);
    takeUnknownBefore('~');
    const signature = entries[i];
    if (signature?.key === '~') {
      if (typeof signature.value !== 'string' || signature.value.length !== SIGNATURE_BYTES) {
        throw new ConfigSignatureError('Config signature is invalid (not 64B)');
      }
      const sig = binaryToBytes(signature.value);
      if (this.verifier && !this.verifier(serialized.subarray(0, signature.start), sig)) {
        throw new ConfigSignatureError('Config signature failed verification');
      }
      if (this.verifier || trustSignature) this.verifiedSignature = sig;
      i++;
    } else if (this.verifier) {
      throw new MissingSignatureError('Config signature is missing');
    }
    if (i !== entries.length) throw new ConfigParseError('Invalid config: dict has invalid key(s) after "~"');
  }
}

/** A message being changed: its diff is whatever differs from the data it started with. */
export class MutableConfigMessage extends ConfigMessage {
  private original: ConfigDict = new Map();

  static create(seqno = 0, options: MessageOptions = {}): MutableConfigMessage {
    const m = new MutableConfigMessage();
    m.applyOptions(options);
    m.seqno = seqno;
    return m;
  }

  /** Loads like ConfigMessage.load, then increments when there was no merge (the merge did). */
  static loadForChange(configs: readonly Uint8Array[], options: MessageOptions = {}, onError?: (index: number, err: Error) => void): MutableConfigMessage {
    const loaded = ConfigMessage.load(configs, options, onError);
    return loaded.merged ? MutableConfigMessage.keepSeqno(loaded, true) : MutableConfigMessage.incrementFrom(loaded);
  }

  /**
   * The same message, changeable, without a new seqno. libsession starts such a message with an
   * empty "original" unless it was built directly from the merge, so a merge adopted by a clean
   * config lists all of its data in the next diff; both rules are kept for byte equality.
   */
  static keepSeqno(message: ConfigMessage, fromMergeConstructor = false): MutableConfigMessage {
    if (message instanceof MutableConfigMessage) return message;
    const m = new MutableConfigMessage();
    m.copyFrom(message);
    m.original = fromMergeConstructor ? cloneDict(message.data) : new Map();
    return m;
  }

  /** A change in progress read back from a dump: same seqno, diffs still against `original`. */
  static resume(message: ConfigMessage, original: ConfigDict): MutableConfigMessage {
    const m = new MutableConfigMessage();
    m.copyFrom(message);
    m.original = original;
    m.verifiedSignature = undefined;
    return m;
  }

  /** The data this change started from. */
  originalData(): ConfigDict {
    return this.original;
  }

  static incrementFrom(source: ConfigMessage): MutableConfigMessage {
    const m = new MutableConfigMessage();
    if (source instanceof MutableConfigMessage) source.hashNow();
    m.copyFrom(source);
    m.original = cloneDict(m.data);
    // Keep the diffs the next message still needs, then add the source's own.
    m.lagged = m.lagged.filter((l) => l.seqno > m.seqno - m.lag && l.seqno < m.seqno);
    m.lagged.push({ seqno: source.seqno, hash: source.hash, diff: source.diff() });
    m.seqno = source.seqno + 1;
    m.messageHash = '';
    m.ownDiff = new Map();
    m.verifiedSignature = undefined;
    m.unmergedIndex = -1;
    return m;
  }

  override diff(): BtDict {
    this.verifiedSignature = undefined;
    pruneDict(this.data);
    this.ownDiff = diffDicts(this.original, this.data) ?? new Map();
    return this.ownDiff;
  }

  override get hash(): Bytes {
    return this.hashNow();
  }

  /** Changes the seqno directly (libsession tests build messages at a given seqno). */
  setSeqno(seqno: number): void {
    this.seqno = seqno;
  }

  private hashNow(): Bytes {
    this.messageHash = hashMessage(this.serialize());
    return this.messageHash;
  }
}

function safeSeqno(value: bigint): number {
  if (value < BigInt(Number.MIN_SAFE_INTEGER) || value > BigInt(Number.MAX_SAFE_INTEGER)) throw new ConfigParseError('config seqno is out of range');
  return Number(value);
}

function parseLagged(value: BtValue, seqno: number, lag: number): LaggedDiff[] {
  if (!Array.isArray(value)) throw new ConfigParseError('lagged diffs are not a list');
  const out: LaggedDiff[] = [];
  for (const row of value) {
    if (!Array.isArray(row) || typeof row[0] !== 'bigint') throw new ConfigParseError('Data contains an invalid lagged diff row');
    const rowSeqno = safeSeqno(row[0]);
    if (rowSeqno >= seqno) throw new ConfigParseError('Data contains lagged seqno >= current seqno');
    if (rowSeqno <= seqno - lag) continue; // too old to matter
    if (typeof row[1] !== 'string' || row[1].length !== HASH_BYTES) throw new ConfigParseError('Data contains invalid lagged diff data: hash must be 32 bytes');
    const entry = { seqno: rowSeqno, hash: row[1] };
    const last = out[out.length - 1];
    if (last && compareVersion(entry, last) <= 0) throw new ConfigParseError('Data contained unsorted or duplicate lagged diff rows');
    if (row.length !== 3) throw new ConfigParseError('Data contains invalid lagged diff tuple: expected 3 elements');
    out.push({ ...entry, diff: checkDiff(row[2]) });
  }
  return out;
}
