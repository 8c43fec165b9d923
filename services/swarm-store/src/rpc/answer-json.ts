// Writing answers as JSON text. A retrieve answer is ~140 KB of base64 in a hundred objects: its
// handler writes the `messages` array out itself (RawJson), at a third of what building the
// objects and running JSON.stringify on them costs; everything else goes through JSON.stringify.
import type { Json } from './params';

/** JSON text placed where it stands in an answer, as it is (its writer guarantees it is valid). */
export class RawJson {
  constructor(readonly text: string) {}
}

export type AnswerValue = Json | RawJson | AnswerValue[] | AnswerObject;
export type AnswerObject = { [key: string]: AnswerValue };

/** JSON.stringify, with RawJson values written as they are. */
export function stringifyAnswer(value: AnswerValue): string {
  return holdsRaw(value) ? write(value) : JSON.stringify(value);
}

function holdsRaw(value: AnswerValue): boolean {
  if (value instanceof RawJson) return true;
  if (Array.isArray(value)) return value.some(holdsRaw);
  if (typeof value === 'object' && value !== null) return Object.values(value).some(holdsRaw);
  return false;
}

function write(value: AnswerValue): string {
  if (value instanceof RawJson) return value.text;
  if (!holdsRaw(value)) return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(write).join(',')}]`;
  const fields = Object.entries(value as AnswerObject).filter(([, v]) => v !== undefined);
  return `{${fields.map(([k, v]) => `${JSON.stringify(k)}:${write(v)}`).join(',')}}`;
}
