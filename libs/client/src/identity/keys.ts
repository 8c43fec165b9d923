// What a person needs to see of an account's keys, from its recovery phrase or its seed.
import {
  blind15Id,
  blind15IdsFromSessionId,
  blind25Id,
  blind25IdFromSessionId,
  CryptoError,
  fromHex,
  identityFromSeed,
  mnemonicToSeed,
  parseSessionId,
  seedToMnemonic,
  toHex,
} from '@starling/crypto';

export interface AccountKeys {
  sessionId: string;
  ed25519PublicKey: string;
  /** Present when the seed is known (always, here): the words that restore the account. */
  recoveryPhrase: string;
}

export function keysFromPhrase(phrase: string): AccountKeys {
  return keysFromSeed(mnemonicToSeed(phrase));
}

export function keysFromSeedHex(seedHex: string): AccountKeys {
  const seed = parseSeedHex(seedHex);
  return keysFromSeed(seed);
}

function keysFromSeed(seed: Uint8Array): AccountKeys {
  const identity = identityFromSeed(seed);
  // A 32-byte seed whose second half is zero is a 16-byte account seed, zero-extended.
  const short = seed.length === 32 && seed.subarray(16).every((b) => b === 0) ? seed.subarray(0, 16) : seed;
  return {
    sessionId: identity.sessionId,
    ed25519PublicKey: toHex(identity.ed25519.publicKey),
    recoveryPhrase: seedToMnemonic(short),
  };
}

export function parseSeedHex(seedHex: string): Uint8Array {
  const text = seedHex.trim();
  if (text.length !== 32 && text.length !== 64) {
    throw new CryptoError('BAD_LENGTH', `a seed is 32 or 64 hex characters (16 or 32 bytes), got ${text.length}`);
  }
  return fromHex(text);
}

export interface BlindedIds {
  /** One id when the seed is known; the two sign candidates when only the Session ID is. */
  blind15: string[];
  blind25: string;
}

export function parseServerPubkey(hex: string): Uint8Array {
  const text = hex.trim();
  if (text.length !== 64) {
    throw new CryptoError('BAD_LENGTH', `a server public key is 64 hex characters (32 bytes), got ${text.length}`);
  }
  return fromHex(text);
}

export function blindedIdsFromSessionId(sessionId: string, serverPubkey: Uint8Array): BlindedIds {
  parseSessionId(sessionId);
  return {
    blind15: blind15IdsFromSessionId(sessionId, serverPubkey),
    blind25: blind25IdFromSessionId(sessionId, serverPubkey),
  };
}

export function blindedIdsFromSeed(seed: Uint8Array, serverPubkey: Uint8Array): BlindedIds {
  const { ed25519 } = identityFromSeed(seed);
  return {
    blind15: [blind15Id(ed25519.secretKey, serverPubkey)],
    blind25: blind25Id(ed25519.secretKey, serverPubkey),
  };
}
