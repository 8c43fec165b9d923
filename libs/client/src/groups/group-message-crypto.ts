// A message in the group's swarm (namespace 11), encrypted with the current group key
// (libsession Keys::encrypt_message; groups.md 5.1): the plaintext, zstd-compressed when that is smaller, signed
// by the author's Ed25519 key, in a bt-dict {"": 1, a: author key, d: data | z: compressed,
// s: signature of d or z}, zero-padded so that nonce + ciphertext is a multiple of 256 bytes,
// then nonce(24) ‖ XChaCha20-Poly1305. Only members hold the key; the swarm sees neither author
// nor length.
import { concatBytes, ed25519KeyPairFromSecret, ed25519PublicKeyToX25519, sessionIdFromX25519, signEd25519, sodium, verifyEd25519 } from '@starling/crypto';
import { BtValue, BtWriter, binaryToBytes, bytesToBinary, decodeBt, isBtDict } from '../config/bencode';
import { zstdCompress, zstdDecompress } from '../config/zstd';

const NONCE_BYTES = 24;
const OVERHEAD = NONCE_BYTES + 16;
export const GROUP_MESSAGE_PADDING = 256;
/** libsession refuses to encrypt, or to inflate, more than this. */
export const MAX_GROUP_PLAINTEXT_BYTES = 1_000_000;

export class GroupDecryptError extends Error {}

export interface DecryptedGroupMessage {
  /** The author's Session ID ("05…"). */
  author: string;
  plaintext: Uint8Array;
}

/** Needs loadZstd() to have finished. */
export function encryptGroupMessage(authorSecret: Uint8Array, groupKey: Uint8Array, plaintext: Uint8Array): Uint8Array {
  if (plaintext.length > MAX_GROUP_PLAINTEXT_BYTES) throw new RangeError('Cannot encrypt plaintext: message size is too large');
  const { secretKey, publicKey } = ed25519KeyPairFromSecret(authorSecret);
  const compressed = zstdCompress(plaintext, 1);
  const useCompressed = compressed.length < plaintext.length;
  const data = useCompressed ? compressed : plaintext;
  const fields = new Map<string, BtValue>([
    ['', 1n],
    ['a', bytesToBinary(publicKey)],
    [useCompressed ? 'z' : 'd', bytesToBinary(data)],
    ['s', bytesToBinary(signEd25519(secretKey, data))],
  ]);
  const encoded = new BtWriter().value(fields).bytes();
  const rest = (OVERHEAD + encoded.length) % GROUP_MESSAGE_PADDING;
  const padded = new Uint8Array(encoded.length + (rest === 0 ? 0 : GROUP_MESSAGE_PADDING - rest));
  padded.set(encoded);
  const nonce = sodium().randombytes_buf(NONCE_BYTES);
  return concatBytes(nonce, sodium().crypto_aead_xchacha20poly1305_ietf_encrypt(padded, null, null, nonce, groupKey));
}

/** Tries each key (newest first); throws GroupDecryptError when none opens it or it is malformed. */
export function decryptGroupMessage(keys: readonly Uint8Array[], ciphertext: Uint8Array): DecryptedGroupMessage {
  if (ciphertext.length < OVERHEAD) throw new GroupDecryptError('ciphertext is too small to be encrypted data');
  const nonce = ciphertext.subarray(0, NONCE_BYTES);
  const body = ciphertext.subarray(NONCE_BYTES);
  let plain: Uint8Array | undefined;
  for (const key of keys) {
    try {
      plain = sodium().crypto_aead_xchacha20poly1305_ietf_decrypt(null, body, null, nonce, key);
      break;
    } catch {
      // another generation's key: try the next
    }
  }
  if (!plain) throw new GroupDecryptError('unable to decrypt ciphertext with any current group keys');
  let end = plain.length;
  while (end > 0 && plain[end - 1] === 0) end--;
  let fields;
  try {
    fields = decodeBt(plain.subarray(0, end));
  } catch {
    throw new GroupDecryptError('decrypted data is not a bencoded dict');
  }
  if (!isBtDict(fields)) throw new GroupDecryptError('decrypted data is not a bencoded dict');
  if (fields.get('') !== 1n) throw new GroupDecryptError('group message version tag is missing or not 1');
  const author = fields.get('a');
  const signature = fields.get('s');
  const d = fields.get('d');
  const z = fields.get('z');
  if (typeof author !== 'string' || author.length !== 32) throw new GroupDecryptError('missing or invalid message author pubkey');
  if (typeof signature !== 'string' || signature.length !== 64) throw new GroupDecryptError('missing or invalid message signature');
  if ((d === undefined) === (z === undefined)) throw new GroupDecryptError('message must contain exactly one of compressed (z) or uncompressed (d) data');
  const data = (d ?? z) as BtValue;
  if (typeof data !== 'string' || data.length === 0) throw new GroupDecryptError('message data is empty');
  const authorKey = binaryToBytes(author);
  const dataBytes = binaryToBytes(data);
  if (!verifyEd25519(binaryToBytes(signature), dataBytes, authorKey)) throw new GroupDecryptError('message signature failed validation');
  let authorId: string;
  try {
    authorId = sessionIdFromX25519(ed25519PublicKeyToX25519(authorKey));
  } catch {
    throw new GroupDecryptError('author ed25519 pubkey is invalid');
  }
  if (z === undefined) return { author: authorId, plaintext: dataBytes };
  const inflated = zstdDecompress(dataBytes);
  if (!inflated || inflated.length > MAX_GROUP_PLAINTEXT_BYTES) throw new GroupDecryptError('message decompression failed');
  return { author: authorId, plaintext: inflated };
}
