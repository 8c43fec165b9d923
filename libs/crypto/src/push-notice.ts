// Push notification payloads as the Session push server sends them (spns v1) and the apps decrypt
// them (libsession decrypt_push_notification, session-android PushReceiver):
//   enc_payload = nonce(24) || XChaCha20-Poly1305(key = subscriber's enc_key, no AAD)(plaintext)
//   plaintext   = bencoded list [metadata JSON, message data?] + zero bytes up to a multiple of 256
// Metadata keys are single letters to fit the push services' 4 KB limits: "@" account (hex), "#"
// message hash, "n" namespace, "t" timestamp ms, "z" expiry ms, and with data requested "l" data
// length plus "B": true when the data was left out for being longer than the limit.
import { decodeStringList, encodeStringList } from './bencode-list';
import { concatBytes, requireBytes } from './encoding';
import { CryptoError } from './errors';
import { sodium } from './sodium';

/** Upstream's MAX_MSG_SIZE: data beyond this is left out ("B") so APNs/FCM stay under 4 KB. */
export const PUSH_NOTICE_MAX_DATA = 2500;
/** The plaintext is padded to a multiple of this many bytes (hides the message length). */
export const PUSH_NOTICE_PADDING = 256;
/** What the "spns" field of a delivered notice says: the version of this payload format. */
export const SPNS_VERSION = 1;

const NONCE_BYTES = 24;
const TAG_BYTES = 16;
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

export interface PushNoticeMetadata {
  /** Account the message was stored for: 66 hex characters (prefix byte + key). */
  account: string;
  /** Storage message hash (43 characters of unpadded base64). */
  hash: string;
  namespace: number;
  timestampMs: number;
  expiryMs: number;
  /** Length of the message data; present when the subscription wanted data and there was some. */
  dataLength?: number;
  /** True when the data was too long to be included. */
  dataTooLong?: boolean;
}

export interface PushNotice {
  metadata: PushNoticeMetadata;
  /** The message data, when included. */
  data?: Uint8Array;
}

/**
 * The padded plaintext of a notice. `data` is the message data when the subscription asked for it
 * (omit it otherwise); it is included up to `maxData` bytes and replaced by "B": true beyond.
 */
export function encodePushNotice(
  metadata: Omit<PushNoticeMetadata, 'dataLength' | 'dataTooLong'>,
  data?: Uint8Array,
  maxData = PUSH_NOTICE_MAX_DATA,
): Uint8Array {
  const fields: Array<[string, string | number | boolean]> = [
    ['@', metadata.account],
    ['#', metadata.hash],
    ['n', metadata.namespace],
    ['t', metadata.timestampMs],
    ['z', metadata.expiryMs],
  ];
  let body: Uint8Array | undefined;
  // Upstream treats empty data like no data: neither "l" nor a second element.
  if (data !== undefined && data.length > 0) {
    fields.push(['l', data.length]);
    if (data.length > maxData) fields.push(['B', true]);
    else body = data;
  }
  // Python's json.dumps spacing, so the bytes match what upstream encrypts.
  const json = '{' + fields.map(([k, v]) => `${JSON.stringify(k)}: ${JSON.stringify(v)}`).join(', ') + '}';
  const list = encodeStringList(body ? [Buffer.from(json, 'utf8'), body] : [Buffer.from(json, 'utf8')]);
  const padded = new Uint8Array(Math.ceil(list.length / PUSH_NOTICE_PADDING) * PUSH_NOTICE_PADDING);
  padded.set(list);
  return padded;
}

/** Reads a notice plaintext (padding allowed); elements past the second are ignored, as specified. */
export function decodePushNotice(plaintext: Uint8Array): PushNotice {
  const parts = decodeStringList(stripZeroPadding(plaintext));
  if (parts.length < 1) throw new CryptoError('MALFORMED', 'push notice holds no metadata');
  let raw: unknown;
  try {
    raw = JSON.parse(strictUtf8.decode(parts[0]));
  } catch {
    throw new CryptoError('MALFORMED', 'push notice metadata is not UTF-8 JSON');
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new CryptoError('MALFORMED', 'push notice metadata must be a JSON object');
  }
  const m = raw as Record<string, unknown>;
  const int = (key: string): number => {
    const v = m[key];
    if (!Number.isSafeInteger(v)) throw new CryptoError('MALFORMED', `push notice metadata "${key}" must be an integer`);
    return v as number;
  };
  const str = (key: string): string => {
    const v = m[key];
    if (typeof v !== 'string') throw new CryptoError('MALFORMED', `push notice metadata "${key}" must be a string`);
    return v;
  };
  const metadata: PushNoticeMetadata = {
    account: str('@'),
    hash: str('#'),
    namespace: int('n'),
    timestampMs: int('t'),
    expiryMs: int('z'),
  };
  if (m.l !== undefined) metadata.dataLength = int('l');
  if (m.B === true) metadata.dataTooLong = true;
  const notice: PushNotice = { metadata };
  if (parts.length >= 2) {
    if (metadata.dataLength !== parts[1].length) {
      throw new CryptoError('MALFORMED', 'push notice data length does not match its "l"');
    }
    notice.data = parts[1];
  }
  return notice;
}

/** nonce(24) || XChaCha20-Poly1305(plaintext) under the subscriber's 32-byte enc_key. */
export function encryptPushNotice(plaintext: Uint8Array, encKey: Uint8Array): Uint8Array {
  requireBytes(encKey, 32, 'push enc_key');
  const nonce = sodium().randombytes_buf(NONCE_BYTES);
  return concatBytes(nonce, sodium().crypto_aead_xchacha20poly1305_ietf_encrypt(plaintext, null, null, nonce, encKey));
}

/** Inverse of encryptPushNotice; trailing zero padding is removed as libsession does. */
export function decryptPushNotice(payload: Uint8Array, encKey: Uint8Array): Uint8Array {
  requireBytes(encKey, 32, 'push enc_key');
  if (!(payload instanceof Uint8Array) || payload.length < NONCE_BYTES + TAG_BYTES) {
    throw new CryptoError('DECRYPT_FAILED', 'push notice payload is too short');
  }
  let plaintext: Uint8Array;
  try {
    plaintext = sodium().crypto_aead_xchacha20poly1305_ietf_decrypt(
      null,
      payload.subarray(NONCE_BYTES),
      null,
      payload.subarray(0, NONCE_BYTES),
      encKey,
    );
  } catch {
    throw new CryptoError('DECRYPT_FAILED', 'push notice failed authentication (wrong enc_key?)');
  }
  return stripZeroPadding(plaintext);
}

function stripZeroPadding(bytes: Uint8Array): Uint8Array {
  let end = bytes.length;
  while (end > 0 && bytes[end - 1] === 0) end--;
  return bytes.subarray(0, end);
}
