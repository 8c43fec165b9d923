// An HTTP server behind the exit node that the client knows out of band (the file server, the
// push server): its base URL and its key. Given once by options or environment, checked, and
// remembered in a file of the data folder.
//
// The key is what Session apps put in links (`#p=`): the server's Ed25519 key, from which the
// X25519 key onion requests are encrypted to is derived. Servers set up before they had an Ed25519
// identity were given by their X25519 key; the two cannot be told apart by their bytes, so a
// request tries the derived key first and the key itself second (onionKeysOf, serverRequest).
import { ed25519PublicKeyToX25519, fromHex, toHex, type V4Request, type V4Response } from '@starling/crypto';
import { readJsonIfExists, writeJsonAtomic } from '../account/json-file';
import { ClientError, ServerKeyRejected } from './errors';
import type { ServerAddress } from './onion-client';

export interface KnownServer {
  /** Base URL without a trailing slash, e.g. http://127.0.0.1:8400. */
  url: string;
  /** 64 hex characters: the server's Ed25519 key (an old server's X25519 key). */
  key: string;
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

/** What a request to a server needs from the network; OnionClient is the real one. */
export interface ServerRequests {
  serverRequest(server: ServerAddress, request: V4Request, timeoutMs?: number): Promise<V4Response>;
}

/** Checks and normalises a URL and key given by the person or a stored file. */
export function parseKnownServer(kind: ServerKind, url: string, key: string): KnownServer {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ClientError(`${kind.what} URL "${url}" is not a URL`, 'input');
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new ClientError(`${kind.what} URL must be http or https, not ${parsed.protocol}`, 'input');
  if (parsed.search || parsed.hash || parsed.username) throw new ClientError(`${kind.what} URL must not carry a query, fragment or user name`, 'input');
  if (!/^[0-9a-fA-F]{64}$/.test(key)) throw new ClientError(`${kind.what} key must be 64 hex characters (its Ed25519 public key, as it prints it)`, 'input');
  return { url: parsed.toString().replace(/\/+$/, ''), key: key.toLowerCase() };
}

/**
 * The X25519 keys to try for a server's onion requests, most likely first: the one derived from
 * its Ed25519 key (what Session apps do), then the key itself (an old server's X25519 key).
 */
export function onionKeysOf(server: KnownServer): string[] {
  try {
    return [toHex(ed25519PublicKeyToX25519(fromHex(server.key, 32))), server.key];
  } catch {
    return [server.key]; // not an Ed25519 point at all: an X25519 key
  }
}

/** The onion destination of a server under one of its keys: host, port and protocol come from its URL. */
export function serverAddressOf(server: KnownServer, x25519: string): ServerAddress {
  const url = new URL(server.url);
  const protocol = url.protocol === 'https:' ? 'https' : 'http';
  const port = url.port ? Number(url.port) : protocol === 'https' ? 443 : 80;
  return { host: url.hostname, port, protocol, x25519 };
}

/** One request to a server, under each of its possible onion keys until it can read one. */
export async function serverRequest(requests: ServerRequests, server: KnownServer, request: V4Request, timeoutMs?: number): Promise<V4Response> {
  const keys = onionKeysOf(server);
  for (const [i, x25519] of keys.entries()) {
    try {
      return await requests.serverRequest(serverAddressOf(server, x25519), request, timeoutMs);
    } catch (err) {
      if (!(err instanceof ServerKeyRejected) || i === keys.length - 1) throw err;
    }
  }
  throw new ClientError(`${server.url} has no key to use`);
}

/**
 * The server to use: what was given now (both parts, or one part on top of the stored server) is
 * checked and stored in `file` for next time; otherwise the stored one; otherwise undefined.
 */
export function resolveKnownServer(kind: ServerKind, file: string, given: ServerChoice): KnownServer | undefined {
  const stored = readJsonIfExists(file);
  const storedUrl = typeof stored?.url === 'string' ? stored.url : undefined;
  // `x25519`: a file written before servers had an Ed25519 identity.
  const storedKey = typeof stored?.key === 'string' ? stored.key : typeof stored?.x25519 === 'string' ? stored.x25519 : undefined;
  const url = given.url ?? storedUrl;
  const key = given.key ?? storedKey;
  if (url === undefined && key === undefined) return undefined;
  if (url === undefined) throw new ClientError(`a ${kind.what} key was given without its URL: pass ${kind.urlOption} <url> too`, 'input');
  if (key === undefined) throw new ClientError(`the ${kind.what} needs its key: pass ${kind.keyOption} <hex> (the ${kind.what} prints it at start)`, 'input');
  const server = parseKnownServer(kind, url, key);
  if (server.url !== storedUrl || server.key !== storedKey) writeJsonAtomic(file, server);
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
