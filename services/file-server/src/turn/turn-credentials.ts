// Time-limited TURN credentials by the TURN REST convention (draft-uberti-behave-turn-rest, as
// coturn's use-auth-secret implements it): username = "<expiry unix seconds>:<random id>",
// password = base64(HMAC-SHA1(shared secret, username)). The TURN server checks the HMAC and the
// expiry with the same secret, so nothing is stored here and no account exists there.
import { createHmac, randomBytes } from 'crypto';

export interface TurnSettings {
  /** The secret shared with the TURN server (coturn static-auth-secret). */
  secret: string;
  /** turn:/turns: URIs handed to clients, e.g. turn:turn.example.org:3478?transport=udp. */
  uris: readonly string[];
  /** How long a credential stays valid, in seconds. */
  ttlSeconds: number;
}

export interface TurnCredentials {
  username: string;
  password: string;
  /** Seconds the credential stays valid from now. */
  ttl: number;
  uris: string[];
}

/** The random part keeps two credentials of the same second apart; it names nobody. */
function randomId(): string {
  return randomBytes(12).toString('hex');
}

export function turnPassword(secret: string, username: string): string {
  return createHmac('sha1', secret).update(username, 'utf8').digest('base64');
}

export function issueTurnCredentials(settings: TurnSettings, nowMs: number = Date.now()): TurnCredentials {
  const expiry = Math.floor(nowMs / 1000) + settings.ttlSeconds;
  const username = `${expiry}:${randomId()}`;
  return { username, password: turnPassword(settings.secret, username), ttl: settings.ttlSeconds, uris: [...settings.uris] };
}

const TURN_URI = /^turns?:[^\s,]+$/;

export class BadTurnUri extends Error {
  override name = 'BadTurnUri';
}

/** FILE_SERVER_TURN_URIS: comma-separated turn:/turns: URIs; at least one. */
export function parseTurnUris(text: string): string[] {
  const uris = text
    .split(',')
    .map((uri) => uri.trim())
    .filter((uri) => uri !== '');
  if (uris.length === 0) throw new BadTurnUri('no TURN URI given');
  for (const uri of uris) if (!TURN_URI.test(uri)) throw new BadTurnUri(`not a turn: or turns: URI: ${uri}`);
  return uris;
}
