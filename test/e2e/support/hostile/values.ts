// The raw material of hostile requests: a seeded random source (a failing case can be replayed
// from the seed printed by the suite), JSON that JSON.stringify cannot write (numbers past any
// range, nesting 10,000 deep, text cut in the middle), values of the wrong type and base64 that
// is not base64.

/** mulberry32: small, fast and reproducible from one 32-bit seed. */
export class Rng {
  private state: number;

  constructor(readonly seed: number) {
    this.state = seed >>> 0;
  }

  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  int(below: number): number {
    return Math.floor(this.next() * below);
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }

  /** `n` distinct items in random order (all of them when there are fewer). */
  sample<T>(items: readonly T[], n: number): T[] {
    const copy = [...items];
    for (let i = copy.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      [copy[i], copy[j]] = [copy[j]!, copy[i]!];
    }
    return copy.slice(0, n);
  }

  bytes(n: number): Buffer {
    const out = Buffer.alloc(n);
    for (let i = 0; i < n; i++) out[i] = this.int(256);
    return out;
  }

  /** Printable junk without quotes or backslashes. */
  word(n: number): string {
    const alphabet = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-.~!$&*+,;=:@%';
    let s = '';
    for (let i = 0; i < n; i++) s += alphabet[this.int(alphabet.length)];
    return s;
  }
}

/** JSON text standing for itself inside a value built for `jsonWith` (a number too big to write, deep nesting). */
export class RawText {
  constructor(readonly text: string) {}
}

/** JSON.stringify, with RawText values written as they are. */
export function jsonWith(value: unknown): string {
  const raws: string[] = [];
  const text = JSON.stringify(value, (_key, v: unknown) => {
    if (v instanceof RawText) {
      raws.push(v.text);
      return `\u0000raw${raws.length - 1}\u0000`;
    }
    return v;
  });
  return text.replace(/"\\u0000raw(\d+)\\u0000"/g, (_m, i: string) => raws[Number(i)]!);
}

/** `[[[…]]]` or `{"a":{"a":…}}`, `depth` levels, as text. */
export function deepJson(depth: number, kind: 'array' | 'object' = 'array'): string {
  return kind === 'array' ? '['.repeat(depth) + ']'.repeat(depth) : '{"a":'.repeat(depth - 1) + '{}' + '}'.repeat(depth - 1);
}

/** Numbers no field accepts: past double range, past 2^64, long digit runs. */
export const HUGE_NUMBERS = [
  '1e400',
  '-1e400',
  '18446744073709551616',
  '-9223372036854775809',
  '9'.repeat(400),
  '1.7976931348623157e309',
  '123456789012345678901234567890.5',
];

/** Values of every JSON type, for fields that want another. */
export const WRONG_TYPES: unknown[] = [null, true, false, 'x', '', [], [1, 2], {}, { a: 1 }, -1, 1.5, 2 ** 53 + 2];

/** Text a base64 field must refuse. */
export const BAD_BASE64 = ['!!!!', '====', 'a', 'a===', 'QUJD\u00e9', 'QU JD', '****', '\u0000\u0000\u0000\u0000', 'QUJDRA==QUJD', 'QUJDRA=='.repeat(2)];

/** Each substitute for a field: wrong types, huge numbers, bad base64 and nesting 10,000 deep. */
export function fieldSubstitutes(): unknown[] {
  return [...WRONG_TYPES, ...HUGE_NUMBERS.map((n) => new RawText(n)), ...BAD_BASE64, new RawText(deepJson(10_000)), new RawText(deepJson(10_000, 'object'))];
}

/** `text` cut at `count` points spread over its length (never whole). */
export function truncations(text: string, count: number, rng: Rng): string[] {
  const cuts = new Set<number>();
  while (cuts.size < Math.min(count, text.length - 1)) cuts.add(1 + rng.int(text.length - 1));
  return [...cuts].map((at) => text.slice(0, at));
}

/** Whole bodies that are not the JSON a route wants: random bytes, deep nesting, huge numbers, wrong top-level types. */
export function garbageBodies(rng: Rng, validExample: string, count = { random: 12, truncated: 12 }): { what: string; body: string | Buffer }[] {
  const out: { what: string; body: string | Buffer }[] = [];
  for (let i = 0; i < count.random; i++) out.push({ what: 'random bytes', body: rng.bytes(1 + rng.int(i < 2 ? 60_000 : 600)) });
  for (const cut of truncations(validExample, count.truncated, rng)) out.push({ what: 'truncated JSON', body: cut });
  out.push(
    { what: 'JSON nested 10,000 deep', body: deepJson(10_000) },
    { what: 'JSON objects nested 10,000 deep', body: deepJson(10_000, 'object') },
    { what: 'JSON nested 33 deep', body: deepJson(33) },
    { what: 'unbalanced brackets', body: '['.repeat(10_000) },
    { what: 'a JSON string', body: '"method"' },
    { what: 'a JSON array', body: '[{"method":"info"}]' },
    { what: 'a JSON number', body: '1e400' },
    { what: 'JSON null', body: 'null' },
    { what: 'empty body', body: '' },
    { what: 'a byte-order mark and garbage', body: '\ufeff{"' },
    { what: 'invalid UTF-8', body: Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d]) },
    { what: 'a lone surrogate escape', body: '{"method":"\\ud800"}' },
    ...HUGE_NUMBERS.map((n) => ({ what: `a bare number ${n.slice(0, 20)}`, body: n })),
  );
  return out;
}
