// What a config message looks like in the swarm (libsession ConfigBase::push / merge):
//   bencoded message → 'z' + zstd level 1 if that is smaller → zeros prefixed up to libsession's
//   padded size → XChaCha20-Poly1305 under a key from the seed and the config's domain (client.md
//   9.5) → for the four account configs, wrapped for old clients: Content{sharedConfigMessage}
//   + 0x80, sealed deterministically to ourselves, in Envelope{type 6, timestamp 1}, in a
//   WebSocketMessage. Reading accepts the wrapped form (also wrapped twice, as one client release
//   wrote) and the bare ciphertext.
import {
  CONFIG_ENCRYPTION_OVERHEAD,
  decryptConfig,
  decryptIncoming,
  ed25519KeyPairFromSeed,
  ed25519PublicKeyToX25519,
  ed25519SecretKeyToX25519,
  encryptConfig,
  encryptForRecipientDeterministic,
  padConfig,
  bytesEqual,
} from '@starling/crypto';
import { Content, Envelope, ENVELOPE_SESSION_MESSAGE, WEBSOCKET_REQUEST, WebSocketMessage } from '../messaging/session-protos';
import { zstdCompress, zstdDecompress } from './zstd';

/** The storage server's limit for one message (libsession MAX_MESSAGE_SIZE). */
export const MAX_CONFIG_MESSAGE_BYTES = 76_800;
const COMPRESSED_MARK = 0x7a; // 'z'
const MULTIPART_MARK = 0x6d; // 'm'
const DICT_MARK = 0x64; // 'd'
const WRAP_PADDING = 0x80;

/** SharedConfigMessage.Kind of each account namespace. */
const SHARED_CONFIG_KIND: Record<number, number> = { 2: 1, 3: 2, 4: 3, 5: 4 };

export interface ConfigKind {
  namespace: number;
  /** libsession's encryption domain ("UserProfile", "Contacts", ...). */
  domain: string;
  /** zstd level; undefined turns compression off. */
  compressionLevel?: number;
  /** The account configs are still wrapped for old clients. */
  wrapped: boolean;
}

/** 'z' + zstd frame when that is shorter than the message, else the message (compress_message). */
export function compressConfig(message: Uint8Array, level: number | undefined): Uint8Array {
  if (!level) return message;
  const frame = zstdCompress(message, level);
  if (frame.length + 1 >= message.length) return message;
  const out = new Uint8Array(frame.length + 1);
  out[0] = COMPRESSED_MARK;
  out.set(frame, 1);
  return out;
}

/** The bytes to store for a serialized message with this seqno. */
export function sealConfig(kind: ConfigKind, seed32: Uint8Array, seqno: number, message: Uint8Array): Uint8Array {
  const padded = padConfig(compressConfig(message, kind.compressionLevel), CONFIG_ENCRYPTION_OVERHEAD);
  const encrypted = encryptConfig(padded, seed32, kind.domain);
  let stored = encrypted;
  if (kind.wrapped) {
    const wrapped = wrapForOldClients(seed32, encrypted, seqno, kind.namespace);
    // Old clients cannot read a message past the limit anyway; libsession then stores it bare.
    if (wrapped.length <= MAX_CONFIG_MESSAGE_BYTES) stored = wrapped;
  }
  if (stored.length > MAX_CONFIG_MESSAGE_BYTES) throw new Error(`the ${kind.domain} config is too large (${stored.length} bytes)`);
  return stored;
}

/**
 * The serialized message inside stored bytes, or undefined when they are not a config of ours
 * (another key or domain, damaged, not a dict, or a multi-part piece, which this client skips).
 */
export function openConfig(kind: ConfigKind, seed32: Uint8Array, stored: Uint8Array): Uint8Array | undefined {
  let ciphertext = stored;
  if (kind.wrapped) {
    const once = unwrapFromOldClients(seed32, stored, kind.namespace);
    if (once) ciphertext = unwrapFromOldClients(seed32, once, kind.namespace) ?? once;
  }
  let plain: Uint8Array;
  try {
    plain = decryptConfig(ciphertext, seed32, kind.domain);
  } catch {
    return undefined;
  }
  const start = plain.findIndex((b) => b !== 0);
  if (start < 0) return undefined;
  plain = plain.subarray(start);
  if (plain[0] === MULTIPART_MARK) return undefined;
  if (plain[0] === COMPRESSED_MARK) {
    const inflated = zstdDecompress(plain.subarray(1));
    if (!inflated || inflated.length === 0) return undefined;
    plain = inflated;
  }
  return plain[0] === DICT_MARK ? plain : undefined;
}

/** libsession protos::wrap_config: every layer fixed, so equal configs wrap to equal bytes. */
export function wrapForOldClients(seed32: Uint8Array, data: Uint8Array, seqno: number, namespace: number): Uint8Array {
  const kind = SHARED_CONFIG_KIND[namespace];
  if (kind === undefined) throw new Error(`namespace ${namespace} has no SharedConfigMessage kind`);
  const content = Content.encode(Content.fromObject({ sharedConfigMessage: { kind, seqno, data } })).finish();
  const padded = new Uint8Array(content.length + 1);
  padded.set(content);
  padded[content.length] = WRAP_PADDING;
  const self = ed25519PublicKeyToX25519(ed25519KeyPairFromSeed(seed32).publicKey);
  const sealed = encryptForRecipientDeterministic(seed32, self, padded);
  const envelope = Envelope.encode(Envelope.fromObject({ type: ENVELOPE_SESSION_MESSAGE, timestamp: 1, content: sealed })).finish();
  return WebSocketMessage.encode(
    WebSocketMessage.fromObject({ type: WEBSOCKET_REQUEST, request: { verb: '', path: '', body: envelope, requestId: 0 } }),
  ).finish();
}

/** The wrapped data, or undefined when `stored` is not a wrapped config from this account. */
export function unwrapFromOldClients(seed32: Uint8Array, stored: Uint8Array, namespace: number): Uint8Array | undefined {
  try {
    const wsm = WebSocketMessage.toObject(WebSocketMessage.decode(stored)) as { type?: number; request?: { body?: Uint8Array } };
    if (wsm.type !== WEBSOCKET_REQUEST || !wsm.request?.body) return undefined;
    const envelope = Envelope.toObject(Envelope.decode(wsm.request.body)) as { content?: Uint8Array };
    if (!envelope.content) return undefined;
    const keys = ed25519KeyPairFromSeed(seed32);
    const x25519 = { publicKey: ed25519PublicKeyToX25519(keys.publicKey), secretKey: ed25519SecretKeyToX25519(keys.secretKey) };
    const opened = decryptIncoming(x25519, envelope.content);
    if (!bytesEqual(opened.senderEd25519, keys.publicKey)) return undefined;
    const padded = opened.plaintext;
    let end = padded.length;
    while (end > 0 && padded[end - 1] === 0) end--;
    if (end === 0 || padded[end - 1] !== WRAP_PADDING) return undefined;
    const content = Content.toObject(Content.decode(padded.subarray(0, end - 1))) as { sharedConfigMessage?: { kind?: number; data?: Uint8Array } };
    const shared = content.sharedConfigMessage;
    if (!shared?.data || shared.kind !== SHARED_CONFIG_KIND[namespace]) return undefined;
    return shared.data;
  } catch {
    return undefined;
  }
}
