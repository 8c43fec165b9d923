// JSON from untrusted clients: nesting is bounded before JSON.parse runs (a 10,000-deep array
// would otherwise cost a stack overflow in whoever walks the value next), and every failure is
// a reason a client can read, answered with a 400 by the caller.

/** The deepest nesting any Starling endpoint accepts, as upstream storage servers do. */
export const MAX_JSON_DEPTH = 32;

export type ParsedJson = { ok: true; value: unknown } | { ok: false; error: string };

export function parseJson(text: string, maxDepth = MAX_JSON_DEPTH): ParsedJson {
  if (nestingDepth(text, maxDepth) > maxDepth) return { ok: false, error: `invalid request: JSON nested deeper than ${maxDepth} levels` };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false, error: 'invalid request: body is not valid JSON' };
  }
}

/** Deepest bracket nesting outside strings, stopping once past `limit` (JSON.parse checks the rest). */
export function nestingDepth(text: string, limit = Infinity): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92) i++; // a backslash escapes the next character
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 123 || c === 91) {
      if (++depth > max) max = depth;
      if (max > limit) return max;
    } else if (c === 125 || c === 93) depth--;
  }
  return max;
}

/** Depth of an already parsed value (JSON that arrived inside another format), bounded like the text. */
export function valueDepth(value: unknown, limit = MAX_JSON_DEPTH): number {
  let max = 0;
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    const d = depth + 1;
    if (d > max) max = d;
    if (max > limit) return max;
    for (const child of Array.isArray(v) ? v : Object.values(v)) stack.push([child, d]);
  }
  return max;
}

/**
 * JSON text placed where it stands in a value, as it is (its writer guarantees it is valid). Hot
 * answers write their big parts themselves: a retrieve answer is ~140 KB of base64 in a hundred
 * objects, and writing its `messages` array out directly costs a third of building the objects and
 * running JSON.stringify on them.
 */
export class RawJson {
  constructor(readonly text: string) {}
}

/** JSON.stringify, with RawJson values written as they are. */
export function stringifyJson(value: unknown): string {
  return holdsRaw(value) ? write(value) : JSON.stringify(value);
}

function holdsRaw(value: unknown): boolean {
  if (value instanceof RawJson) return true;
  if (Array.isArray(value)) return value.some(holdsRaw);
  if (typeof value === 'object' && value !== null) return Object.values(value).some(holdsRaw);
  return false;
}

function write(value: unknown): string {
  if (value instanceof RawJson) return value.text;
  if (!holdsRaw(value)) return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(write).join(',')}]`;
  const fields = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
  return `{${fields.map(([k, v]) => `${JSON.stringify(k)}:${write(v)}`).join(',')}}`;
}
