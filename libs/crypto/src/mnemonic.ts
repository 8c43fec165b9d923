// The Session recovery phrase: the Electrum/Monero English word list (1626 words, unique 3-letter
// prefixes), 3 words per little-endian uint32 of seed, plus one checksum word (client.md 1.2).
import { readFileSync } from 'fs';
import * as path from 'path';
import { crc32 } from 'zlib';
import { CryptoError } from './errors';

const PREFIX_LENGTH = 3;
const N = 1626;

let cachedWords: { words: string[]; byPrefix: Map<string, number> } | undefined;

// Read lazily from libs/crypto/data (one level above both src/ and dist/).
function wordList(): { words: string[]; byPrefix: Map<string, number> } {
  if (!cachedWords) {
    const text = readFileSync(path.join(__dirname, '..', 'data', 'mnemonic-english.txt'), 'utf8');
    const words = text.split('\n').map((w) => w.trim()).filter((w) => w.length > 0);
    const byPrefix = new Map(words.map((w, i) => [w.slice(0, PREFIX_LENGTH), i] as const));
    if (words.length !== N || byPrefix.size !== N) {
      throw new Error(`mnemonic word list is damaged: ${words.length} words, ${byPrefix.size} prefixes`);
    }
    cachedWords = { words, byPrefix };
  }
  return cachedWords;
}

/** 16-byte seed -> 13 words; 32-byte seed -> 25 words (legacy). Words joined by single spaces. */
export function seedToMnemonic(seed: Uint8Array): string {
  if (!(seed instanceof Uint8Array) || (seed.length !== 16 && seed.length !== 32)) {
    throw new CryptoError('BAD_LENGTH', 'a recovery phrase encodes a 16-byte (or legacy 32-byte) seed');
  }
  const { words } = wordList();
  const view = new DataView(seed.buffer, seed.byteOffset, seed.byteLength);
  const out: string[] = [];
  for (let at = 0; at < seed.length; at += 4) {
    const x = view.getUint32(at, true);
    const w1 = x % N;
    const w2 = (Math.floor(x / N) + w1) % N;
    const w3 = (Math.floor(Math.floor(x / N) / N) + w2) % N;
    out.push(words[w1], words[w2], words[w3]);
  }
  out.push(out[checksumIndex(out)]);
  return out.join(' ');
}

/**
 * The phrase for an identity's 32-byte Ed25519 seed: 13 words when it is a zero-extended 16-byte
 * account seed (every account since 2020), otherwise the legacy 25 words.
 */
export function recoveryPhraseForSeed(seed32: Uint8Array): string {
  if (!(seed32 instanceof Uint8Array) || seed32.length !== 32) {
    throw new CryptoError('BAD_LENGTH', 'identity seed must be 32 bytes');
  }
  const zeroExtended = seed32.subarray(16).every((b) => b === 0);
  return seedToMnemonic(zeroExtended ? seed32.subarray(0, 16) : seed32);
}

/**
 * Recovery phrase -> seed (16 bytes for 13 words, 32 for 25). Case, surrounding whitespace and
 * letters after each word's 3-letter prefix are not significant, as in the clients.
 * Errors: BAD_LENGTH (word count), UNKNOWN_WORD, MALFORMED (a word triple that encodes no
 * 32-bit value), BAD_CHECKSUM.
 */
export function mnemonicToSeed(phrase: string): Uint8Array {
  if (typeof phrase !== 'string') throw new CryptoError('BAD_LENGTH', 'recovery phrase must be a string');
  const typed = phrase.normalize('NFC').toLowerCase().trim().split(/\s+/).filter((w) => w.length > 0);
  if (typed.length !== 13 && typed.length !== 25) {
    const hint = typed.length === 12 || typed.length === 24 ? ' (the checksum word is missing)' : '';
    throw new CryptoError('BAD_LENGTH', `recovery phrase must have 13 words, got ${typed.length}${hint}`);
  }
  const { byPrefix } = wordList();
  const indices = typed.map((word, position) => {
    const index = word.length >= PREFIX_LENGTH ? byPrefix.get(word.slice(0, PREFIX_LENGTH)) : undefined;
    if (index === undefined) {
      throw new CryptoError('UNKNOWN_WORD', `word ${position + 1} ("${word}") is not in the recovery word list`);
    }
    return index;
  });

  const data = typed.slice(0, -1);
  const expected = data[checksumIndex(data)].slice(0, PREFIX_LENGTH);
  if (typed[typed.length - 1].slice(0, PREFIX_LENGTH) !== expected) {
    throw new CryptoError('BAD_CHECKSUM', 'recovery phrase checksum word does not match: a word is mistyped or out of order');
  }

  const seed = new Uint8Array((data.length / 3) * 4);
  const view = new DataView(seed.buffer);
  for (let t = 0; t < data.length; t += 3) {
    const [w1, w2, w3] = indices.slice(t, t + 3);
    const x = w1 + N * ((N - w1 + w2) % N) + N * N * ((N - w2 + w3) % N);
    if (x % N !== w1 || x > 0xffffffff) {
      throw new CryptoError('MALFORMED', `recovery phrase words ${t + 1}-${t + 3} do not encode a valid value`);
    }
    view.setUint32((t / 3) * 4, x, true);
  }
  return seed;
}

// The checksum word repeats data word [CRC-32(concatenated 3-letter prefixes) mod word count].
function checksumIndex(dataWords: string[]): number {
  const prefixes = dataWords.map((w) => w.slice(0, PREFIX_LENGTH)).join('');
  return crc32(Buffer.from(prefixes, 'utf8')) % dataWords.length;
}
