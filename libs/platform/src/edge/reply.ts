// One answer shape for every transport: the edge writes it to a socket, the onion layer seals it,
// /batch folds it into a list, gRPC carries it as bytes. Header names are lower case; the
// transport sets content-length.
import { stringifyJson } from './json';

export interface Reply {
  status: number;
  headers: Record<string, string>;
  body: Uint8Array;
}

/** Exactly this string: Session clients compare the content type of JSON answers to it. */
export const JSON_TYPE = 'application/json';
export const TEXT_TYPE = 'text/plain; charset=utf-8';
export const OCTET_TYPE = 'application/octet-stream';

export function textReply(status: number, text: string, headers: Record<string, string> = {}): Reply {
  return { status, headers: { 'content-type': TEXT_TYPE, ...headers }, body: Buffer.from(text) };
}

/** `json` is a value to serialise; RawJson inside it is written as it is (see json.ts). */
export function jsonReply(status: number, json: unknown, headers: Record<string, string> = {}): Reply {
  return { status, headers: { 'content-type': JSON_TYPE, ...headers }, body: Buffer.from(stringifyJson(json)) };
}

export function bytesReply(status: number, contentType: string, body: Uint8Array, headers: Record<string, string> = {}): Reply {
  return { status, headers: { 'content-type': contentType, ...headers }, body };
}

export function isSuccess(reply: Pick<Reply, 'status'>): boolean {
  return reply.status >= 200 && reply.status < 300;
}
