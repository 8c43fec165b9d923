// One answer shape for every transport: the edge writes it to a socket, the onion layer seals it,
// /batch folds it into a list, gRPC carries it as bytes. Header names are lower case; the
// transport sets content-length.
import { stringifyJson } from './json';

export interface Reply {
  status: number;
  headers: Record<string, string>;
  body: Uint8Array;
  /** A body read from elsewhere as it is written (`body` is then empty): see BodySource. */
  source?: BodySource;
}

/**
 * A body the edge copies from where it is kept (a stored file) as the client reads it: a slow
 * reader holds a slice of it, not all of it. A transport that needs the bytes takes wholeReply.
 */
export interface BodySource {
  readonly length: number;
  /** The bytes in order, read once; stopping early releases what the source holds. */
  read(): AsyncIterable<Uint8Array>;
  /** Releases the source without reading it. */
  close(): Promise<void>;
}

export function sourceReply(status: number, contentType: string, source: BodySource, headers: Record<string, string> = {}): Reply {
  return { status, headers: { 'content-type': contentType, ...headers }, body: new Uint8Array(0), source };
}

/** The reply with its source read into `body`. */
export async function wholeReply(reply: Reply): Promise<Reply> {
  if (!reply.source) return reply;
  const parts: Uint8Array[] = [];
  for await (const part of reply.source.read()) parts.push(part);
  return { status: reply.status, headers: reply.headers, body: Buffer.concat(parts) };
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
