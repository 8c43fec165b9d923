// A Session identity: seed -> Ed25519 keypair -> X25519 keypair -> Session ID ("05" + X25519 pk).
// Also the parsing of prefixed ids (05 account, 15/25 blinded, 03 group, 00 unblinded Ed25519).
import { fromHex, toHex } from './encoding';
import { CryptoError } from './errors';
import { Ed25519KeyPair, ed25519KeyPairFromSeed, ed25519PublicKeyToX25519 } from './signing';
import { sodium } from './sodium';

/** One-byte prefixes of 33-byte ids (client.md 1.1, sogs-fileserver.md 2.4). */
export const IdPrefix = {
  unblinded: 0x00,
  group: 0x03,
  session: 0x05,
  version: 0x07,
  blinded15: 0x15,
  blinded25: 0x25,
} as const;

export interface X25519KeyPair {
  publicKey: Uint8Array; // 32 bytes
  secretKey: Uint8Array; // 32 bytes
}

export interface Identity {
  /** The 32-byte Ed25519 seed (a 16-byte account seed followed by 16 zero bytes). */
  seed: Uint8Array;
  ed25519: Ed25519KeyPair;
  x25519: X25519KeyPair;
  /** "05" + 64 lowercase hex characters. */
  sessionId: string;
}

/**
 * Derives an identity from a 16-byte account seed (zero-extended to 32, as every current client
 * does) or a full 32-byte seed (accounts from 2020).
 */
export function identityFromSeed(seed: Uint8Array): Identity {
  if (!(seed instanceof Uint8Array) || (seed.length !== 16 && seed.length !== 32)) {
    throw new CryptoError('BAD_LENGTH', 'identity seed must be 16 or 32 bytes');
  }
  const seed32 = new Uint8Array(32);
  seed32.set(seed);
  const ed25519 = ed25519KeyPairFromSeed(seed32);
  const x25519 = {
    publicKey: ed25519PublicKeyToX25519(ed25519.publicKey),
    secretKey: sodium().crypto_sign_ed25519_sk_to_curve25519(ed25519.secretKey),
  };
  return { seed: seed32, ed25519, x25519, sessionId: sessionIdFromX25519(x25519.publicKey) };
}

/** A new account: 16 random bytes, the whole secret (its recovery phrase encodes exactly these). */
export function generateIdentity(): { seed16: Uint8Array; identity: Identity } {
  const seed16 = sodium().randombytes_buf(16);
  return { seed16, identity: identityFromSeed(seed16) };
}

/** X25519 public key of a 32-byte X25519 secret key (e.g. an onion request's ephemeral key). */
export function x25519PublicKeyFromSecret(secretKey: Uint8Array): Uint8Array {
  if (!(secretKey instanceof Uint8Array) || secretKey.length !== 32) {
    throw new CryptoError('BAD_LENGTH', 'X25519 secret key must be 32 bytes');
  }
  return sodium().crypto_scalarmult_base(secretKey);
}

export function sessionIdFromX25519(x25519PublicKey: Uint8Array): string {
  return prefixedId(IdPrefix.session, x25519PublicKey);
}

/** "pp" + hex(key) for a one-byte prefix and a 32-byte key. */
export function prefixedId(prefix: number, key: Uint8Array): string {
  if (!(key instanceof Uint8Array) || key.length !== 32) {
    throw new CryptoError('BAD_LENGTH', 'an id key must be 32 bytes');
  }
  return prefix.toString(16).padStart(2, '0') + toHex(key);
}

export interface ParsedId {
  prefix: number;
  /** The 32 key bytes after the prefix. */
  key: Uint8Array;
  /** The id in canonical lowercase form. */
  id: string;
}

/**
 * Parses a 66-hex-character prefixed id. `allowed` lists the accepted prefixes; any other prefix is
 * BAD_KEY with a message naming what the prefix means.
 */
export function parsePrefixedId(text: string, allowed: readonly number[]): ParsedId {
  if (typeof text !== 'string' || text.length !== 66) {
    const got = typeof text === 'string' ? `${text.length} characters` : typeof text;
    throw new CryptoError('BAD_LENGTH', `an id must be 66 hex characters (prefix byte + 32-byte key), got ${got}`);
  }
  const bytes = fromHex(text, 33);
  const prefix = bytes[0];
  if (!allowed.includes(prefix)) {
    const want = allowed.map((p) => p.toString(16).padStart(2, '0')).join(' or ');
    throw new CryptoError('BAD_KEY', `id prefix ${text.slice(0, 2)} (${prefixName(prefix)}) is not accepted here; expected ${want}`);
  }
  return { prefix, key: bytes.slice(1), id: text.toLowerCase() };
}

/** Parses a Session ID ("05" + X25519 pk) and returns the 32-byte X25519 public key. */
export function parseSessionId(text: string): Uint8Array {
  return parsePrefixedId(text, [IdPrefix.session]).key;
}

export function isSessionId(text: string): boolean {
  try {
    parseSessionId(text);
    return true;
  } catch {
    return false;
  }
}

function prefixName(prefix: number): string {
  switch (prefix) {
    case IdPrefix.unblinded:
      return 'unblinded Ed25519 key';
    case IdPrefix.group:
      return 'group';
    case IdPrefix.session:
      return 'Session ID';
    case IdPrefix.version:
      return 'version-blinded key';
    case IdPrefix.blinded15:
      return 'community blinded id v15';
    case IdPrefix.blinded25:
      return 'community blinded id v25';
    default:
      return 'unknown kind';
  }
}
