// An HTTP server behind the exit node that the client knows out of band (the file server, the
// push server): its base URL and the X25519 key onion requests are encrypted to. Given once by
// options or environment, checked, and remembered in a file of the data folder.
import { readJsonIfExists, writeJsonAtomic } from '../account/json-file';
import { ClientError } from './errors';
import type { ServerAddress } from './onion-client';

export interface KnownServer {
  /** Base URL without a trailing slash, e.g. http://127.0.0.1:8400. */
  url: string;
  /** 64 hex characters. */
  x25519: string;
}

/** How one kind of server is named to the person: "file server", --file-server, STARLING_FILE_SERVER. */
export interface ServerKind {
  what: string;
  urlOption: string;
  keyOption: string;
  env: string;
}

export interface ServerChoice {
  url?: string;
  key?: string;
}

/** Checks and normalises a URL and key given by the person or a stored file. */
export function parseKnownServer(kind: ServerKind, url: string, x25519: string): KnownServer {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ClientError(`${kind.what} URL "${url}" is not a URL`, 'input');
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new ClientError(`${kind.what} URL must be http or https, not ${parsed.protocol}`, 'input');
  if (parsed.search || parsed.hash || parsed.username) throw new ClientError(`${kind.what} URL must not carry a query, fragment or user name`, 'input');
  if (!/^[0-9a-fA-F]{64}$/.test(x25519)) throw new ClientError(`${kind.what} key must be 64 hex characters (its X25519 public key)`, 'input');
  return { url: parsed.toString().replace(/\/+$/, ''), x25519: x25519.toLowerCase() };
}

/** The onion destination of a server: host, port and protocol come from its URL. */
export function knownServerAddress(server: KnownServer): ServerAddress {
  const url = new URL(server.url);
  const protocol = url.protocol === 'https:' ? 'https' : 'http';
  const port = url.port ? Number(url.port) : protocol === 'https' ? 443 : 80;
  return { host: url.hostname, port, protocol, x25519: server.x25519 };
}

/**
 * The server to use: what was given now (both parts, or one part on top of the stored server) is
 * checked and stored in `file` for next time; otherwise the stored one; otherwise undefined.
 */
export function resolveKnownServer(kind: ServerKind, file: string, given: ServerChoice): KnownServer | undefined {
  const stored = readJsonIfExists(file);
  const storedUrl = typeof stored?.url === 'string' ? stored.url : undefined;
  const storedKey = typeof stored?.x25519 === 'string' ? stored.x25519 : undefined;
  const url = given.url ?? storedUrl;
  const key = given.key ?? storedKey;
  if (url === undefined && key === undefined) return undefined;
  if (url === undefined) throw new ClientError(`a ${kind.what} key was given without its URL: pass ${kind.urlOption} <url> too`, 'input');
  if (key === undefined) throw new ClientError(`the ${kind.what} needs its X25519 key: pass ${kind.keyOption} <hex> (the ${kind.what} prints it at start)`, 'input');
  const server = parseKnownServer(kind, url, key);
  if (server.url !== storedUrl || server.x25519 !== storedKey) writeJsonAtomic(file, server);
  return server;
}

/** Same as resolveKnownServer, but a missing server is an error naming what to pass. */
export function requireKnownServer(kind: ServerKind, file: string, given: ServerChoice): KnownServer {
  const server = resolveKnownServer(kind, file, given);
  if (!server) {
    throw new ClientError(
      `no ${kind.what} configured: pass ${kind.urlOption} <url> and ${kind.keyOption} <hex> before the command, or set ${kind.env} and ${kind.env}_KEY`,
      'input',
    );
  }
  return server;
}
