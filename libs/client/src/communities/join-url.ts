// A community join URL (sogs-fileserver.md 3.6): `http(s)://host[:port]/<room>?public_key=<64 hex>`.
// The public key is the server's X25519 key: it both encrypts the onion request to the server and
// is part of every signed request, so a URL without a valid one is useless.
import { ClientError } from '../network/errors';
import type { ServerAddress } from '../network/onion-client';

export interface CommunityServer extends ServerAddress {
  /** `http://host:port`, the part of the URL before the room. */
  baseUrl: string;
}

export interface JoinUrl {
  server: CommunityServer;
  /** Room token, lower case (the server compares tokens case-insensitively). */
  room: string;
}

const ROOM_TOKEN = /^[A-Za-z0-9_-]{1,64}$/;

export function isRoomToken(text: string): boolean {
  return ROOM_TOKEN.test(text);
}

/** Parses and checks a join URL; a missing scheme means http:// as in Session Desktop. */
export function parseJoinUrl(text: string): JoinUrl {
  const trimmed = text.trim();
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed) ? trimmed : `http://${trimmed}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw new ClientError(`not a community URL: "${text}" (expected http://host:port/<room>?public_key=<64 hex>)`, 'input');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ClientError(`not a community URL: scheme must be http or https, not ${url.protocol.replace(':', '')}`, 'input');
  }
  if (!url.hostname) throw new ClientError(`not a community URL: "${text}" has no host`, 'input');
  const room = url.pathname.replace(/^\/+|\/+$/g, '');
  if (!room) throw new ClientError(`the community URL names no room: expected ${url.origin}/<room>?public_key=...`, 'input');
  if (!ROOM_TOKEN.test(room)) throw new ClientError(`bad room in community URL: "${room}" (1-64 letters, digits, _ or -)`, 'input');
  const keys = url.searchParams.getAll('public_key');
  if (keys.length !== 1) throw new ClientError('the community URL needs exactly one public_key=<64 hex> (the server key)', 'input');
  if (!/^[0-9a-fA-F]{64}$/.test(keys[0])) {
    throw new ClientError(`bad public_key in community URL: expected 64 hex characters, got ${keys[0].length}`, 'input');
  }
  const protocol = url.protocol === 'https:' ? 'https' : 'http';
  const port = url.port ? Number(url.port) : protocol === 'https' ? 443 : 80;
  // URL keeps IPv6 hosts in brackets; the onion destination wants the bare address.
  const host = url.hostname.replace(/^\[|\]$/g, '');
  return {
    server: { host, port, protocol, x25519: keys[0].toLowerCase(), baseUrl: `${protocol}://${url.host}` },
    room: room.toLowerCase(),
  };
}

export function joinUrlOf(server: CommunityServer, room: string): string {
  return `${server.baseUrl}/${room}?public_key=${server.x25519}`;
}
