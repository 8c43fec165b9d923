// The shape of a JSON answer. A handler may place JSON it wrote itself (a retrieve's messages)
// inside it as the platform's RawJson; stringifyJson writes it out.
import type { RawJson } from '@starling/platform';
import type { Json } from './params';

export type AnswerValue = Json | RawJson | AnswerValue[] | AnswerObject;
export type AnswerObject = { [key: string]: AnswerValue };
