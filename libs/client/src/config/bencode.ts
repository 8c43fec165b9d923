// Bencoding as libsession (oxenc) writes it, read strictly: integers in canonical decimal, byte
// strings with a length prefix, lists, and dicts whose keys are unique and in byte order. A
// config message is hashed and signed as bytes, so anything that would not re-encode to the same
// bytes is rejected rather than repaired.
//
// Byte strings are held as "binary" JS strings (one char per byte, latin1): they compare in byte
// order with < and work as Map keys, which is what dict keys (33-byte Session IDs among them) need.

/** A byte string, one char per byte (latin1). */
export type Bytes = string;
export type BtDict = Map<Bytes, BtValue>;
export type BtValue = bigint | Bytes | BtValue[] | BtDict;

export class BtParseError extends Error {}

export function bytesToBinary(bytes: Uint8Array): Bytes {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
}

export function binaryToBytes(binary: Bytes): Uint8Array {
  return new Uint8Array(Buffer.from(binary, 'latin1'));
}

/** UTF-8 text as a byte string, and back (names are UTF-8 in every config). */
export function textToBinary(text: string): Bytes {
  return Buffer.from(text, 'utf8').toString('latin1');
}

export function binaryToText(binary: Bytes): string {
  return Buffer.from(binary, 'latin1').toString('utf8');
}

export function isBtDict(value: BtValue | undefined): value is BtDict {
  return value instanceof Map;
}

/** Collects encoded pieces; `bytes()` joins them once at the end. */
export class BtWriter {
  private readonly parts: string[] = [];

  raw(binary: Bytes): this {
    this.parts.push(binary);
    return this;
  }

  int(value: bigint | number): this {
    return this.raw(`i${BigInt(value).toString()}e`);
  }

  string(binary: Bytes): this {
    return this.raw(`${binary.length}:${binary}`);
  }

  value(value: BtValue): this {
    if (typeof value === 'bigint') return this.int(value);
    if (typeof value === 'string') return this.string(value);
    if (Array.isArray(value)) {
      this.raw('l');
      for (const item of value) this.value(item);
      return this.raw('e');
    }
    this.raw('d');
    for (const key of sortedKeys(value)) this.string(key).value(value.get(key)!);
    return this.raw('e');
  }

  binary(): Bytes {
    return this.parts.join('');
  }

  bytes(): Uint8Array {
    return binaryToBytes(this.binary());
  }
}

export function encodeBt(value: BtValue): Uint8Array {
  return new BtWriter().value(value).bytes();
}

export function sortedKeys<V>(map: Map<Bytes, V>): Bytes[] {
  return [...map.keys()].sort(compareBinary);
}

export function compareBinary(a: Bytes, b: Bytes): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** One entry of a dict read with its position, so a signature can cover the bytes before it. */
export interface BtDictEntry {
  key: Bytes;
  value: BtValue;
  /** Offset of the entry's key in the input. */
  start: number;
}

export function decodeBt(bytes: Uint8Array): BtValue {
  const reader = new BtReader(bytesToBinary(bytes));
  const value = reader.value();
  reader.expectEnd();
  return value;
}

/** The entries of a top-level dict, in order, each with its offset. */
export function decodeDictEntries(bytes: Uint8Array): BtDictEntry[] {
  const reader = new BtReader(bytesToBinary(bytes));
  const entries = reader.dictEntries();
  reader.expectEnd();
  return entries;
}

const MAX_DEPTH = 64;

class BtReader {
  private pos = 0;
  private depth = 0;

  constructor(private readonly input: Bytes) {}

  expectEnd(): void {
    if (this.pos !== this.input.length) throw new BtParseError('trailing data after the bencoded value');
  }

  value(): BtValue {
    const c = this.input[this.pos];
    if (c === 'i') return this.int();
    if (c === 'l') return this.nested(() => this.list());
    if (c === 'd') return this.nested(() => new Map(this.dictEntries().map((e) => [e.key, e.value])));
    if (c !== undefined && c >= '0' && c <= '9') return this.string();
    throw new BtParseError(c === undefined ? 'unexpected end of data' : `unexpected byte 0x${c.charCodeAt(0).toString(16)} at ${this.pos}`);
  }

  dictEntries(): BtDictEntry[] {
    if (this.input[this.pos] !== 'd') throw new BtParseError('expected a dict');
    this.pos++;
    const entries: BtDictEntry[] = [];
    while (this.input[this.pos] !== 'e') {
      if (this.pos >= this.input.length) throw new BtParseError('unterminated dict');
      const start = this.pos;
      const key = this.string();
      const last = entries[entries.length - 1];
      if (last && key <= last.key) throw new BtParseError('dict keys are not in order or repeat');
      entries.push({ key, value: this.value(), start });
    }
    this.pos++;
    return entries;
  }

  private nested<T>(read: () => T): T {
    if (++this.depth > MAX_DEPTH) throw new BtParseError('nesting is too deep');
    try {
      return read();
    } finally {
      this.depth--;
    }
  }

  private list(): BtValue[] {
    this.pos++;
    const items: BtValue[] = [];
    while (this.input[this.pos] !== 'e') {
      if (this.pos >= this.input.length) throw new BtParseError('unterminated list');
      items.push(this.value());
    }
    this.pos++;
    return items;
  }

  private int(): bigint {
    const end = this.input.indexOf('e', this.pos);
    if (end < 0) throw new BtParseError('unterminated integer');
    const digits = this.input.slice(this.pos + 1, end);
    if (!/^(0|-?[1-9][0-9]*)$/.test(digits)) throw new BtParseError(`invalid integer "${digits.slice(0, 24)}"`);
    this.pos = end + 1;
    return BigInt(digits);
  }

  private string(): Bytes {
    const colon = this.input.indexOf(':', this.pos);
    if (colon < 0) throw new BtParseError('unterminated string length');
    const digits = this.input.slice(this.pos, colon);
    if (!/^(0|[1-9][0-9]*)$/.test(digits)) throw new BtParseError(`invalid string length "${digits.slice(0, 24)}"`);
    const length = Number(digits);
    const start = colon + 1;
    if (start + length > this.input.length) throw new BtParseError('string runs past the end of the data');
    this.pos = start + length;
    return this.input.slice(start, start + length);
  }
}
