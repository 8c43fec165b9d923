// X-SOGS-* request authentication (sogs-fileserver.md 2.1-2.2): what a client signs and sends,
// and what a community server decodes and checks. Policy (timestamp window, nonce reuse, bans,
// whether unblinded ids are allowed) stays with the server; this module is the cryptography.
import { blind15KeyPair, blind15Sign, blind25KeyPair, blind25Sign, Blind15NonceRule, verifyBlindedSignature } from './blinding';
import { concatBytes, fromHexOrBase64, toBase64, toHex, utf8 } from './encoding';
import { CryptoError } from './errors';
import { IdPrefix, ParsedId, parsePrefixedId, prefixedId } from './identity';
import { blake2b, ed25519KeyPairFromSecret, signEd25519 } from './signing';
import { sodium } from './sodium';

export type SogsBlinding = 'unblinded' | 'blind15' | 'blind25';

export interface SogsRequestParts {
  /** The server's 32-byte X25519 public key. */
  serverPk: Uint8Array;
  /** 16 random bytes, never reused. */
  nonce: Uint8Array;
  /** Unix seconds; the decimal text is signed verbatim. */
  timestamp: number | string;
  method: string;
  /** URL-decoded path plus "?" and the raw query string when there is one. */
  path: string;
  body?: Uint8Array | string;
}

export interface SogsAuthHeaders {
  'X-SOGS-Pubkey': string;
  'X-SOGS-Nonce': string;
  'X-SOGS-Timestamp': string;
  'X-SOGS-Signature': string;
}

/** SERVER_PK || NONCE || TIMESTAMP || METHOD || PATH [|| BLAKE2b-64(body) when the body is non-empty]. */
export function sogsSignedMessage(parts: SogsRequestParts): Uint8Array {
  if (!(parts.serverPk instanceof Uint8Array) || parts.serverPk.length !== 32) {
    throw new CryptoError('BAD_LENGTH', 'SOGS server public key must be 32 bytes');
  }
  if (!(parts.nonce instanceof Uint8Array) || parts.nonce.length !== 16) {
    throw new CryptoError('BAD_LENGTH', 'SOGS nonce must be 16 bytes');
  }
  const timestamp = String(parts.timestamp);
  if (!/^\d+$/.test(timestamp)) throw new CryptoError('MALFORMED', 'SOGS timestamp must be decimal unix seconds');
  const body = typeof parts.body === 'string' ? utf8(parts.body) : parts.body;
  const bodyHash = body && body.length > 0 ? blake2b(body, 64) : new Uint8Array(0);
  return concatBytes(parts.serverPk, parts.nonce, utf8(timestamp + parts.method + parts.path), bodyHash);
}

/**
 * Signs a request as the holder of `secret` (seed or 64-byte Ed25519 key) and returns the four
 * headers. Without `parts.nonce` a random one is drawn.
 */
export function signSogsRequest(
  secret: Uint8Array,
  parts: Omit<SogsRequestParts, 'nonce'> & { nonce?: Uint8Array },
  blinding: SogsBlinding,
  blind15NonceRule: Blind15NonceRule = 'pysogs',
): SogsAuthHeaders {
  const nonce = parts.nonce ?? sodium().randombytes_buf(16);
  const message = sogsSignedMessage({ ...parts, nonce });
  let pubkey: string;
  let signature: Uint8Array;
  switch (blinding) {
    case 'unblinded':
      pubkey = prefixedId(IdPrefix.unblinded, ed25519KeyPairFromSecret(secret).publicKey);
      signature = signEd25519(secret, message);
      break;
    case 'blind15':
      pubkey = prefixedId(IdPrefix.blinded15, blind15KeyPair(secret, parts.serverPk).publicKey);
      signature = blind15Sign(secret, parts.serverPk, message, blind15NonceRule);
      break;
    case 'blind25':
      pubkey = prefixedId(IdPrefix.blinded25, blind25KeyPair(secret, parts.serverPk).publicKey);
      signature = blind25Sign(secret, parts.serverPk, message);
      break;
    default:
      throw new CryptoError('UNSUPPORTED', `unknown SOGS blinding "${String(blinding)}"`);
  }
  return {
    'X-SOGS-Pubkey': pubkey,
    'X-SOGS-Nonce': toBase64(nonce),
    'X-SOGS-Timestamp': String(parts.timestamp),
    'X-SOGS-Signature': toBase64(signature),
  };
}

export interface SogsAuth {
  /** Prefix 00, 15 or 25 and the 32-byte Ed25519 key. */
  pubkey: ParsedId;
  nonce: Uint8Array;
  /** Decimal text exactly as sent (it is signed verbatim). */
  timestamp: string;
  signature: Uint8Array;
}

/**
 * Decodes the X-SOGS-* headers (names case-insensitive). Returns null when none is present (an
 * anonymous request). Some but not all present, or any malformed, is a CryptoError:
 * MALFORMED (missing/empty header, bad timestamp), BAD_ENCODING / BAD_LENGTH (field decoding),
 * BAD_KEY (prefix other than 00/15/25, or not a valid curve point).
 */
export function parseSogsAuthHeaders(headers: Record<string, string | string[] | undefined>): SogsAuth | null {
  const lower = new Map(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), Array.isArray(v) ? v[0] : v]));
  const names = ['x-sogs-pubkey', 'x-sogs-nonce', 'x-sogs-timestamp', 'x-sogs-signature'] as const;
  const values = names.map((n) => lower.get(n));
  const present = values.filter((v) => v !== undefined && v !== '').length;
  if (present === 0 && values.every((v) => v === undefined)) return null;
  if (present !== 4) {
    throw new CryptoError('MALFORMED', `Invalid authentication headers: missing ${4 - present}/4 required X-SOGS-* headers`);
  }
  const [pubkeyText, nonceText, timestamp, signatureText] = values as string[];

  const pubkeyHex = pubkeyText.length === 66 ? pubkeyText : toHex(fromHexOrBase64(pubkeyText, 33));
  const pubkey = parsePrefixedId(pubkeyHex, [IdPrefix.unblinded, IdPrefix.blinded15, IdPrefix.blinded25]);
  if (!sodium().crypto_core_ed25519_is_valid_point(pubkey.key)) {
    throw new CryptoError('BAD_KEY', 'X-SOGS-Pubkey is not a valid Ed25519 point');
  }
  if (!/^\d+$/.test(timestamp)) throw new CryptoError('MALFORMED', 'X-SOGS-Timestamp must be decimal unix seconds');
  return {
    pubkey,
    nonce: fromHexOrBase64(nonceText, 16),
    timestamp,
    signature: fromHexOrBase64(signatureText, 64),
  };
}

/** True when the decoded headers sign this request (method, path, body) for this server. */
export function verifySogsRequest(
  auth: SogsAuth,
  request: { serverPk: Uint8Array; method: string; path: string; body?: Uint8Array | string },
): boolean {
  const message = sogsSignedMessage({ ...request, nonce: auth.nonce, timestamp: auth.timestamp });
  return verifyBlindedSignature(auth.pubkey.id, auth.signature, message);
}
