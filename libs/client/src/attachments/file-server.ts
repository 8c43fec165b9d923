// Which file server attachments go to (client.md 5.3): its base URL and its key — the Ed25519
// key Session apps put in attachment links (`#p=`), from which the X25519 key onion requests are
// encrypted to is derived. Given once by --file-server/--file-server-key (or STARLING_FILE_SERVER
// and STARLING_FILE_SERVER_KEY) and remembered in the data folder's file-server.json.
// Links written before file servers had an Ed25519 identity carry the X25519 key itself; the
// two cannot be told apart by their bytes, so a key is tried both ways (onionKeysOf).
import { join } from 'path';
import { ed25519PublicKeyToX25519, fromHex, toHex } from '@starling/crypto';
import { readJsonIfExists, writeJsonAtomic } from '../account/json-file';
import { ClientError } from '../network/errors';
import type { ServerAddress } from '../network/onion-client';

export interface FileServer {
  /** Base URL without a trailing slash, e.g. http://127.0.0.1:8400. */
  url: string;
  /** 64 hex characters: the key links carry (Ed25519; an old server's X25519). */
  key: string;
}

export const FILE_SERVER_FILE = 'file-server.json';

/** Checks and normalises a URL and key given by the person or a stored file. */
export function parseFileServer(url: string, key: string): FileServer {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ClientError(`file server URL "${url}" is not a URL`, 'input');
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new ClientError(`file server URL must be http or https, not ${parsed.protocol}`, 'input');
  if (parsed.search || parsed.hash || parsed.username) throw new ClientError('file server URL must not carry a query, fragment or user name', 'input');
  if (!/^[0-9a-fA-F]{64}$/.test(key)) throw new ClientError('file server key must be 64 hex characters (its Ed25519 public key, as in attachment links)', 'input');
  return { url: parsed.toString().replace(/\/+$/, ''), key: key.toLowerCase() };
}

/**
 * The X25519 keys to try for a server's onion requests, most likely first: the one derived from
 * its Ed25519 key (what Session apps do), then the key itself (an old server's X25519 key).
 */
export function onionKeysOf(server: FileServer): string[] {
  try {
    return [toHex(ed25519PublicKeyToX25519(fromHex(server.key, 32))), server.key];
  } catch {
    return [server.key]; // not an Ed25519 point at all: an X25519 key
  }
}

/** The onion destination of a file server under one of its keys: host, port and protocol come from its URL. */
export function serverAddressOf(server: FileServer, x25519: string): ServerAddress {
  const url = new URL(server.url);
  const protocol = url.protocol === 'https:' ? 'https' : 'http';
  const port = url.port ? Number(url.port) : protocol === 'https' ? 443 : 80;
  return { host: url.hostname, port, protocol, x25519 };
}

export interface FileServerChoice {
  url?: string;
  key?: string;
}

/**
 * The file server to use: what was given now (both parts, or one part on top of the stored
 * server) is checked and stored for next time; otherwise the stored one; otherwise undefined.
 */
export function resolveFileServer(home: string, given: FileServerChoice): FileServer | undefined {
  const file = join(home, FILE_SERVER_FILE);
  const stored = readJsonIfExists(file);
  const storedUrl = typeof stored?.url === 'string' ? stored.url : undefined;
  // `x25519`: a file written before file servers had an Ed25519 identity.
  const storedKey = typeof stored?.key === 'string' ? stored.key : typeof stored?.x25519 === 'string' ? stored.x25519 : undefined;
  const url = given.url ?? storedUrl;
  const key = given.key ?? storedKey;
  if (url === undefined && key === undefined) return undefined;
  if (url === undefined) throw new ClientError('a file server key was given without its URL: pass --file-server <url> too', 'input');
  if (key === undefined) throw new ClientError('the file server needs its key: pass --file-server-key <hex> (the file server prints it at start)', 'input');
  const server = parseFileServer(url, key);
  if (server.url !== storedUrl || server.key !== storedKey) writeJsonAtomic(file, server);
  return server;
}

/** Same as resolveFileServer, but a missing server is an error naming what to pass. */
export function requireFileServer(home: string, given: FileServerChoice): FileServer {
  const server = resolveFileServer(home, given);
  if (!server) {
    throw new ClientError('no file server configured: pass --file-server <url> and --file-server-key <hex> before the command, or set STARLING_FILE_SERVER and STARLING_FILE_SERVER_KEY', 'input');
  }
  return server;
}
