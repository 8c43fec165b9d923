// Which file server attachments go to (client.md 5.3): its base URL and the X25519 key onion
// requests are encrypted to. Given once by --file-server/--file-server-key (or STARLING_FILE_SERVER
// and STARLING_FILE_SERVER_KEY) and remembered in the data folder's file-server.json.
import { join } from 'path';
import { readJsonIfExists, writeJsonAtomic } from '../account/json-file';
import { ClientError } from '../network/errors';
import type { ServerAddress } from '../network/onion-client';

export interface FileServer {
  /** Base URL without a trailing slash, e.g. http://127.0.0.1:8400. */
  url: string;
  /** 64 hex characters. */
  x25519: string;
}

export const FILE_SERVER_FILE = 'file-server.json';

/** Checks and normalises a URL and key given by the person or a stored file. */
export function parseFileServer(url: string, x25519: string): FileServer {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ClientError(`file server URL "${url}" is not a URL`, 'input');
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new ClientError(`file server URL must be http or https, not ${parsed.protocol}`, 'input');
  if (parsed.search || parsed.hash || parsed.username) throw new ClientError('file server URL must not carry a query, fragment or user name', 'input');
  if (!/^[0-9a-fA-F]{64}$/.test(x25519)) throw new ClientError('file server key must be 64 hex characters (its X25519 public key)', 'input');
  return { url: parsed.toString().replace(/\/+$/, ''), x25519: x25519.toLowerCase() };
}

/** The onion destination of a file server: host, port and protocol come from its URL. */
export function serverAddressOf(server: FileServer): ServerAddress {
  const url = new URL(server.url);
  const protocol = url.protocol === 'https:' ? 'https' : 'http';
  const port = url.port ? Number(url.port) : protocol === 'https' ? 443 : 80;
  return { host: url.hostname, port, protocol, x25519: server.x25519 };
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
  const storedKey = typeof stored?.x25519 === 'string' ? stored.x25519 : undefined;
  const url = given.url ?? storedUrl;
  const key = given.key ?? storedKey;
  if (url === undefined && key === undefined) return undefined;
  if (url === undefined) throw new ClientError('a file server key was given without its URL: pass --file-server <url> too', 'input');
  if (key === undefined) throw new ClientError('the file server needs its X25519 key: pass --file-server-key <hex> (the file server prints it at start)', 'input');
  const server = parseFileServer(url, key);
  if (server.url !== storedUrl || server.x25519 !== storedKey) writeJsonAtomic(file, server);
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
