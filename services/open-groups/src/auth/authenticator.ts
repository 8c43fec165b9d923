// X-SOGS-* request authentication (§2), with upstream's order of checks and its exact error
// texts (clients match on some of them, e.g. the "requires the use of blinded ids" one).
import {
  CryptoError,
  fromHexOrBase64,
  IdPrefix,
  parsePrefixedId,
  ParsedId,
  sessionIdFromX25519,
  ed25519PublicKeyToX25519,
  sodium,
  sogsSignedMessage,
  toHex,
  verifyEd25519,
} from '@starling/crypto';
import type { Database } from '@starling/platform';
import { BadInput, Forbidden, NotAuthenticated, StaleRequest, type DomainError } from '../domain/errors';
import type { User } from '../users/user';
import type { UsersModel } from '../users/users.model';
import type { NonceStore } from './nonces';

/** ±24 h, and nonces are remembered for as long as their request's timestamp stays acceptable. */
export const TIMESTAMP_WINDOW_SECONDS = 86400;

export const AUTH_REJECTIONS = [
  'auth_headers_missing',
  'auth_bad_pubkey',
  'auth_unblinded',
  'auth_bad_nonce',
  'auth_bad_signature_encoding',
  'auth_bad_timestamp',
  'auth_stale_timestamp',
  'auth_banned',
  'auth_nonce_reused',
  'auth_signature_failed',
] as const;
export type AuthRejection = (typeof AUTH_REJECTIONS)[number];

/** What a signature covers: the method, the decoded path with the raw query, the body. */
export interface SignedRequest {
  method: string;
  /** Percent-decoded path. */
  path: string;
  /** Raw query string, without `?`. */
  query: string;
  /** Lower-case names. */
  headers: Record<string, string>;
  body: Uint8Array;
}

export interface AuthenticatorDeps {
  db: Database;
  users: UsersModel;
  nonces: NonceStore;
  serverPk: Uint8Array;
  requireBlinding: boolean;
  now: () => number;
  onReject?: (reason: AuthRejection) => void;
}

const HEADER_NAMES = ['x-sogs-pubkey', 'x-sogs-nonce', 'x-sogs-timestamp', 'x-sogs-signature'] as const;
/** Keys remembered as valid points; past this many the least recently seen are checked again. */
const VALID_KEYS_REMEMBERED = 100_000;

export class Authenticator {
  /**
   * Ids whose key passed the prime-order point check. That check costs about as much as a
   * signature verification, and a client signs every poll with the same key. Only keys that
   * passed are remembered: an invalid key is checked (and refused) on every request.
   */
  private readonly validKeys = new Set<string>();

  constructor(private readonly deps: AuthenticatorDeps) {}

  /**
   * The signing user, null for an anonymous request; throws a DomainError on any failure.
   * `findUser` reads the signer's row (by default on its own), only once the headers are valid.
   */
  async authenticate(req: SignedRequest, findUser = (sessionId: string) => this.deps.users.find(this.deps.db, sessionId)): Promise<User | null> {
    const values = HEADER_NAMES.map((name) => req.headers[name]);
    const missing = values.filter((v) => v === undefined || v === '').length;
    if (missing === 4) return null;
    if (missing) {
      this.reject(BadInput, 'auth_headers_missing', `Invalid authentication headers: missing ${missing}/4 required X-SOGS-* headers`);
    }
    const [pubkeyText, nonceText, timestamp, signatureText] = values as string[];

    const pubkey = this.decodePubkey(pubkeyText);
    const sessionId = this.sessionIdOf(pubkey);
    const nonce = this.decode(nonceText, 16, 'auth_bad_nonce', 'Invalid authentication: X-SOGS-Nonce must be 16 bytes (encoded as base64 or hex)');
    const signature = this.decode(signatureText, 64, 'auth_bad_signature_encoding', 'Invalid authentication: X-SOGS-Signature is not base64[88]');
    if (!/^-?[0-9]{1,20}$/.test(timestamp.trim())) {
      this.reject(BadInput, 'auth_bad_timestamp', 'Invalid authentication: X-SOGS-Timestamp is not a valid timestamp');
    }
    const now = this.deps.now();
    if (Math.abs(Number(timestamp) - now) > TIMESTAMP_WINDOW_SECONDS) {
      this.reject(StaleRequest, 'auth_stale_timestamp', 'Invalid authentication: X-SOGS-Timestamp is too far from current time');
    }

    const known = await findUser(sessionId);
    // A banned user is refused whether or not the signature is valid.
    if (known?.banned) this.reject(Forbidden, 'auth_banned', 'Banned');

    // Recorded before the signature check, as upstream: a nonce is spent once seen. Past its
    // timestamp's window the timestamp check refuses a replay by itself.
    const fresh = await this.deps.nonces.claim(nonce, Number(timestamp) + TIMESTAMP_WINDOW_SECONDS, now);
    if (!fresh) this.reject(StaleRequest, 'auth_nonce_reused', 'Invalid authentication: X-SOGS-Nonce cannot be reused');

    const pathAndQuery = req.query ? `${req.path}?${req.query}` : req.path;
    const message = sogsSignedMessage({
      serverPk: this.deps.serverPk,
      nonce,
      timestamp: timestamp,
      method: req.method,
      path: pathAndQuery,
      body: req.body,
    });
    // The 15/25 key is itself the Ed25519 verification key, and so is a 00 key; its point check
    // was done (or remembered) by decodePubkey.
    if (!verifyEd25519(signature, message, pubkey.key)) {
      this.reject(NotAuthenticated, 'auth_signature_failed', 'Invalid authentication: X-SOGS-Signature verification failed');
    }

    const user = known ?? (await this.deps.users.getOrCreate(this.deps.db, sessionId, now));
    await this.deps.users.touch(this.deps.db, user, now);
    return user;
  }

  private decodePubkey(text: string): ParsedId {
    let bytes: Uint8Array;
    try {
      bytes = fromHexOrBase64(text, 33);
    } catch {
      this.reject(BadInput, 'auth_bad_pubkey', 'Invalid authentication: X-SOGS-Pubkey is not a valid 66-hex digit id');
    }
    let parsed: ParsedId;
    try {
      parsed = parsePrefixedId(toHex(bytes), [IdPrefix.unblinded, IdPrefix.blinded15, IdPrefix.blinded25]);
    } catch {
      this.reject(BadInput, 'auth_bad_pubkey', 'Invalid authentication: X-SOGS-Pubkey must be 00-, 15-, or 25- prefixed');
    }
    if (!this.isValidPoint(parsed)) {
      this.reject(BadInput, 'auth_bad_pubkey', 'Invalid authentication: given X-SOGS-Pubkey is not a valid Ed25519 pubkey');
    }
    return parsed;
  }

  private isValidPoint(parsed: ParsedId): boolean {
    if (this.validKeys.delete(parsed.id)) {
      this.validKeys.add(parsed.id); // re-insert: Set order is last use, oldest first
      return true;
    }
    if (!sodium().crypto_core_ed25519_is_valid_point(parsed.key)) return false;
    this.validKeys.add(parsed.id);
    if (this.validKeys.size > VALID_KEYS_REMEMBERED) this.validKeys.delete(this.validKeys.values().next().value!);
    return true;
  }

  /** 15/25 ids are used as given; a 00 key stands for its 05 Session ID when allowed. */
  private sessionIdOf(pubkey: ParsedId): string {
    if (pubkey.prefix !== IdPrefix.unblinded) return pubkey.id;
    if (this.deps.requireBlinding) {
      this.reject(BadInput, 'auth_unblinded', 'Invalid authentication: this server requires the use of blinded ids');
    }
    try {
      return sessionIdFromX25519(ed25519PublicKeyToX25519(pubkey.key));
    } catch (err) {
      if (!(err instanceof CryptoError)) throw err;
      this.reject(BadInput, 'auth_bad_pubkey', 'Invalid authentication: given X-SOGS-Pubkey is not a valid Ed25519 pubkey');
    }
  }

  private decode(text: string, size: number, reason: AuthRejection, message: string): Uint8Array {
    try {
      return fromHexOrBase64(text, size);
    } catch {
      this.reject(BadInput, reason, message);
    }
  }

  private reject(kind: new (message: string) => DomainError, reason: AuthRejection, message: string): never {
    this.deps.onReject?.(reason);
    throw new kind(message);
  }
}
