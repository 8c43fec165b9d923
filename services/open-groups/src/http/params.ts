// Request input: query integers as upstream reads them, JSON bodies (depth-bounded), base64
// fields. Bad input is a BadInput (400) with a text that says what is wrong.
import { fromBase64 } from '@starling/crypto';
import { parseJson } from '@starling/platform';
import { BadInput } from '../domain/errors';
import { SESSION_ID_RE } from '../users/user';
import type { SogsRequest } from './types';

/** An integer query parameter; out-of-range values are clamped (truncated), junk is 400. */
export function intParam(query: URLSearchParams, name: string, dflt: number, min: number, max: number): number {
  const raw = query.get(name);
  if (raw === null || raw === '') return dflt;
  if (!/^-?[0-9]+$/.test(raw.trim())) throw new BadInput(`Invalid ${name} parameter`);
  return Math.min(max, Math.max(min, Number(raw)));
}

/** The JSON object body of a request (400 when missing or not an object). */
export function jsonObject(req: Pick<SogsRequest, 'body'>): Record<string, unknown> {
  const value = jsonBody(req);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new BadInput('Invalid JSON body: expected an object');
  return value as Record<string, unknown>;
}

export function jsonBody(req: Pick<SogsRequest, 'body'>): unknown {
  if (req.body.length === 0) throw new BadInput('Missing JSON body');
  const parsed = parseJson(req.body.toString('utf8'));
  // The parser's own reason ("JSON nested deeper than 32 levels", "not valid JSON").
  if (!parsed.ok) throw new BadInput(parsed.error);
  return parsed.value;
}

/** Standard base64, padded or not (the server pads before decoding, strictly). */
export function base64Field(value: unknown, name: string, size?: number): Buffer {
  if (typeof value !== 'string') throw new BadInput(`Missing or invalid ${name}`);
  try {
    return Buffer.from(fromBase64(value, size));
  } catch {
    throw new BadInput(`Invalid ${name}: expected${size ? ` ${size} bytes of` : ''} base64`);
  }
}

export function optionalBool(value: unknown, name: string): boolean | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number' && Number.isInteger(value)) return value !== 0;
  throw new BadInput(`${name} must be a boolean`);
}

export function sessionIdField(value: unknown, name: string): string {
  if (typeof value !== 'string' || !SESSION_ID_RE.test(value.toLowerCase())) throw new BadInput(`${name} must be a session id`);
  return value.toLowerCase();
}
