// The application data of a config message (its "&" dict) and the diffs between two versions of
// it, with libsession's rules (docs/config-merge-logic.md): values are int64s, byte strings, sets
// of those, or dicts; sets and dicts are never empty (an emptied one is pruned); a diff records ""
// for an assigned scalar, "-" for a removed one, [[added], [removed]] for a set, and a sub-diff for
// a dict. Replaying diffs in (seqno, hash) order is how competing messages merge.
import { BtDict, BtParseError, BtValue, BtWriter, Bytes, compareBinary, isBtDict, sortedKeys } from './bencode';

export type Scalar = bigint | Bytes;
export type DictValue = Scalar | ScalarSet | ConfigDict;
export type ConfigDict = Map<Bytes, DictValue>;

export class ConfigParseError extends Error {}

/** Ints before strings; ints by value, strings by bytes (libsession's set order). */
export function compareScalars(a: Scalar, b: Scalar): number {
  if (typeof a === 'bigint') return typeof b === 'bigint' ? (a < b ? -1 : a > b ? 1 : 0) : -1;
  return typeof b === 'bigint' ? 1 : compareBinary(a, b);
}

/** A sorted set of scalars without duplicates. */
export class ScalarSet {
  private readonly items: Scalar[] = [];

  constructor(values: Iterable<Scalar> = []) {
    for (const v of values) this.insert(v);
  }

  get size(): number {
    return this.items.length;
  }

  values(): readonly Scalar[] {
    return this.items;
  }

  has(value: Scalar): boolean {
    const i = this.search(value);
    return i < this.items.length && compareScalars(this.items[i], value) === 0;
  }

  insert(value: Scalar): void {
    const i = this.search(value);
    if (i < this.items.length && compareScalars(this.items[i], value) === 0) return;
    this.items.splice(i, 0, value);
  }

  erase(value: Scalar): void {
    const i = this.search(value);
    if (i < this.items.length && compareScalars(this.items[i], value) === 0) this.items.splice(i, 1);
  }

  clone(): ScalarSet {
    return new ScalarSet(this.items);
  }

  private search(value: Scalar): number {
    let lo = 0;
    let hi = this.items.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (compareScalars(this.items[mid], value) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

export function isScalar(value: DictValue | undefined): value is Scalar {
  return typeof value === 'bigint' || typeof value === 'string';
}

export function isConfigDict(value: DictValue | undefined): value is ConfigDict {
  return value instanceof Map;
}

/** The three kinds a diff tells apart; a change of kind is a removal plus an addition. */
function kindOf(value: DictValue): 'scalar' | 'set' | 'dict' {
  return isScalar(value) ? 'scalar' : value instanceof ScalarSet ? 'set' : 'dict';
}

export function cloneDict(dict: ConfigDict): ConfigDict {
  const out: ConfigDict = new Map();
  for (const [k, v] of dict) out.set(k, isScalar(v) ? v : v instanceof ScalarSet ? v.clone() : cloneDict(v));
  return out;
}

export function dictsEqual(a: ConfigDict, b: ConfigDict): boolean {
  if (a.size !== b.size) return false;
  for (const [k, va] of a) {
    const vb = b.get(k);
    if (vb === undefined || !valuesEqual(va, vb)) return false;
  }
  return true;
}

function valuesEqual(a: DictValue, b: DictValue): boolean {
  if (isScalar(a) || isScalar(b)) return a === b;
  if (a instanceof ScalarSet || b instanceof ScalarSet) {
    if (!(a instanceof ScalarSet && b instanceof ScalarSet) || a.size !== b.size) return false;
    return a.values().every((v, i) => compareScalars(v, b.values()[i]) === 0);
  }
  return dictsEqual(a, b);
}

/** Removes empty sets and dicts, depth first; returns whether anything was removed. */
export function pruneDict(dict: ConfigDict): boolean {
  let removed = false;
  for (const [k, v] of [...dict]) {
    if (isScalar(v)) continue;
    if (isConfigDict(v) && pruneDict(v)) removed = true;
    if (v.size === 0) {
      dict.delete(k);
      removed = true;
    }
  }
  return removed;
}

export function writeData(writer: BtWriter, dict: ConfigDict): void {
  writer.raw('d');
  for (const key of sortedKeys(dict)) {
    writer.string(key);
    const v = dict.get(key)!;
    if (isScalar(v)) writer.value(v);
    else if (v instanceof ScalarSet) writer.value([...v.values()]);
    else writeData(writer, v);
  }
  writer.raw('e');
}

/** Checks and converts the "&" dict: sorted, no empty sets/dicts below the top, sets of scalars. */
export function parseData(value: BtValue, topLevel = true): ConfigDict {
  if (!isBtDict(value)) throw new ConfigParseError('config data is not a dict');
  if (!topLevel && value.size === 0) throw new ConfigParseError('Data contains an unpruned, empty dict');
  const out: ConfigDict = new Map();
  for (const [k, v] of value) {
    if (typeof v === 'bigint' || typeof v === 'string') out.set(k, v);
    else if (isBtDict(v)) out.set(k, parseData(v, false));
    else out.set(k, parseSet(v));
  }
  return out;
}

function parseSet(items: BtValue[]): ScalarSet {
  if (items.length === 0) throw new ConfigParseError('Data contains an unpruned, empty set');
  const set = new ScalarSet();
  let previous: Scalar | undefined;
  for (const item of items) {
    if (typeof item !== 'bigint' && typeof item !== 'string') throw new ConfigParseError('Data contains a set with a non-scalar value');
    if (previous !== undefined && compareScalars(previous, item) >= 0) throw new ConfigParseError('Data contains an unsorted set or duplicates');
    set.insert(item);
    previous = item;
  }
  return set;
}

/** The diff taking `before` to `after` (both pruned), or undefined when nothing changed. */
export function diffDicts(before: ConfigDict, after: ConfigDict): BtDict | undefined {
  const out: BtDict = new Map();
  const keys = new Set([...before.keys(), ...after.keys()]);
  for (const key of keys) {
    const o = before.get(key);
    const n = after.get(key);
    if (n === undefined) out.set(key, removal(o!));
    else if (o === undefined || kindOf(o) !== kindOf(n)) out.set(key, addition(n));
    else if (isScalar(o)) {
      if (o !== n) out.set(key, '');
    } else if (o instanceof ScalarSet) {
      const sub = diffSets(o, n as ScalarSet);
      if (sub) out.set(key, sub);
    } else {
      const sub = diffDicts(o, n as ConfigDict);
      if (sub) out.set(key, sub);
    }
  }
  return out.size > 0 ? out : undefined;
}

function removal(value: DictValue): BtValue {
  if (isScalar(value)) return '-';
  if (value instanceof ScalarSet) return diffSets(value, new ScalarSet())!;
  return diffDicts(value, new Map())!;
}

function addition(value: DictValue): BtValue {
  if (isScalar(value)) return '';
  if (value instanceof ScalarSet) return diffSets(new ScalarSet(), value)!;
  return diffDicts(new Map(), value)!;
}

function diffSets(before: ScalarSet, after: ScalarSet): BtValue[] | undefined {
  const added = after.values().filter((v) => !before.has(v));
  const removed = before.values().filter((v) => !after.has(v));
  if (added.length === 0 && removed.length === 0) return undefined;
  return [added, removed];
}

/** Checks a diff read from a message ("=" or a lagged entry). */
export function checkDiff(value: BtValue): BtDict {
  if (!isBtDict(value)) throw new ConfigParseError('config diff is not a dict');
  for (const [key, v] of value) {
    if (typeof v === 'string') {
      if (v !== '' && v !== '-') throw new ConfigParseError(`config diff contains invalid dict pair ${key}=${v}`);
    } else if (Array.isArray(v)) {
      if (v.length !== 2) throw new ConfigParseError(`config diff contains invalid set at ${key}: expected 2 elements`);
      for (const side of v) {
        if (!Array.isArray(side)) throw new ConfigParseError(`config diff contains invalid set at ${key}: expected 2 sub-lists`);
        for (let i = 0; i < side.length; i++) {
          const item = side[i];
          if (typeof item !== 'bigint' && typeof item !== 'string') throw new ConfigParseError('invalid config set elements: only ints/strings permitted');
          if (i > 0 && compareScalars(side[i - 1] as Scalar, item) >= 0) throw new ConfigParseError('invalid config set elements: unsorted');
        }
      }
    } else if (isBtDict(v)) {
      checkDiff(v);
    } else {
      throw new ConfigParseError(`config diff has an integer at ${key}`);
    }
  }
  return value;
}

/**
 * Applies one diff to `data`, taking assigned values from `source` (the full data of the message
 * the diff came from). A value whose kind in `source` does not match the diff is dropped: a later
 * diff removes or replaces it. Empty sets and dicts are left for a prune afterwards.
 */
export function applyDiff(data: ConfigDict, diff: BtDict, source: ConfigDict): void {
  for (const [key, change] of diff) {
    const from = source.get(key);
    const scalarChange = typeof change === 'string';
    const setChange = Array.isArray(change);
    const dictChange = isBtDict(change);
    if (
      from === undefined ||
      (scalarChange && !isScalar(from)) ||
      (setChange && !(from instanceof ScalarSet)) ||
      (dictChange && !isConfigDict(from))
    ) {
      data.delete(key);
      continue;
    }
    if (scalarChange) {
      if (change === '-') data.delete(key);
      else data.set(key, from as Scalar);
    } else if (dictChange) {
      let sub = data.get(key);
      if (!isConfigDict(sub)) {
        sub = new Map();
        data.set(key, sub);
      }
      applyDiff(sub, change, from as ConfigDict);
    } else if (setChange) {
      let set = data.get(key);
      if (!(set instanceof ScalarSet)) {
        set = new ScalarSet();
        data.set(key, set);
      }
      const [added, removed] = change as [Scalar[], Scalar[]];
      for (const v of added) set.insert(v);
      for (const v of removed) set.erase(v);
    } else {
      throw new BtParseError(`invalid diff value at ${key}`);
    }
  }
}
