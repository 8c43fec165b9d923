// Parsing request JSON from untrusted clients: size and nesting are bounded before JSON.parse
// runs, so hostile bodies get a 400 with a reason instead of costing the process.
import { MAX_REQUEST_BODY_BYTES } from './limits';
import type { Json } from './params';

const MAX_DEPTH = 32;

export type ParsedJson = { ok: true; value: Json } | { ok: false; error: string };

export function parseRpcJson(text: string): ParsedJson {
  if (text.length > MAX_REQUEST_BODY_BYTES) return { ok: false, error: 'invalid request: body too large' };
  if (nestingDepth(text) > MAX_DEPTH) return { ok: false, error: `invalid request: JSON nested deeper than ${MAX_DEPTH} levels` };
  try {
    return { ok: true, value: JSON.parse(text) as Json };
  } catch {
    return { ok: false, error: 'invalid request: body is not valid JSON' };
  }
}

/** Deepest bracket nesting outside strings (a cheap scan; JSON.parse validates the rest). */
function nestingDepth(text: string): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92) i++; // backslash escapes the next character
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 123 || c === 91) {
      if (++depth > max) max = depth;
      if (max > MAX_DEPTH) return max;
    } else if (c === 125 || c === 93) depth--;
  }
  return max;
}
