// What a member stores in the group's swarm (namespace 11), as libsession's encode_for_group
// writes it (groups.md 5.2): the Content protobuf (not padded: the group encryption pads), with sigTimestamp = the
// send time, in an Envelope {type CLOSED_GROUP_MESSAGE, sourceDevice 1, timestamp, content,
// proSig}, encrypted with the group key (group-message-crypto.ts). proSig is a signature by a
// throwaway key, as libsession writes for accounts without Session Pro, so the two look alike.
import { ed25519KeyPairFromSeed, signEd25519, sodium, unpadMessage } from '@starling/crypto';
import Long from 'long';
import { Content, ContentFields, Envelope, ENVELOPE_CLOSED_GROUP_MESSAGE } from '../messaging/session-protos';
import { decryptGroupMessage, encryptGroupMessage, GroupDecryptError } from './group-message-crypto';

export interface GroupContent {
  /** The author's Session ID, from the signature inside the encryption. */
  author: string;
  sentAtMs: number;
  content: ContentFields;
}

/** The bytes to store in namespace 11 (needs loadZstd()). */
export function encodeGroupContent(authorSecret: Uint8Array, groupKey: Uint8Array, content: ContentFields, sentAtMs: number): Uint8Array {
  const contentBytes = Content.encode(Content.fromObject({ ...content, sigTimestamp: sentAtMs })).finish();
  const decoy = ed25519KeyPairFromSeed(sodium().randombytes_buf(32));
  const envelope = Envelope.encode(
    Envelope.fromObject({
      type: ENVELOPE_CLOSED_GROUP_MESSAGE,
      sourceDevice: 1,
      timestamp: sentAtMs,
      content: contentBytes,
      proSig: signEd25519(decoy.secretKey, contentBytes),
    }),
  ).finish();
  return encryptGroupMessage(authorSecret, groupKey, envelope);
}

/**
 * Opens a message of namespace 11 with the keys we hold. Throws GroupDecryptError when no key
 * opens it (e.g. it was sent after we were removed) or it is not a valid group message.
 */
export function decodeGroupContent(keys: readonly Uint8Array[], data: Uint8Array): GroupContent {
  const { author, plaintext } = decryptGroupMessage(keys, data);
  let envelope: { timestamp?: Long | number; content?: Uint8Array };
  try {
    envelope = Envelope.toObject(Envelope.decode(plaintext)) as typeof envelope;
  } catch (err) {
    throw new GroupDecryptError(`not an envelope (${(err as Error).message})`);
  }
  if (!envelope.content) throw new GroupDecryptError('envelope has no content');
  const sentAtMs = Number(envelope.timestamp);
  let content: ContentFields & { sigTimestamp?: number };
  try {
    content = readContent(envelope.content);
  } catch (err) {
    throw new GroupDecryptError(`unreadable content (${(err as Error).message})`);
  }
  // The envelope's time is not signed by the author, the content is: they must agree.
  if (content.sigTimestamp !== undefined && Number(content.sigTimestamp) !== sentAtMs) {
    throw new GroupDecryptError('envelope timestamp does not match the signed content');
  }
  return { author, sentAtMs, content };
}

/** Current clients send the Content bare; older ones padded it as for 1:1 messages. */
function readContent(bytes: Uint8Array): ContentFields & { sigTimestamp?: number } {
  try {
    return Content.toObject(Content.decode(bytes), { longs: Number }) as ContentFields;
  } catch {
    return Content.toObject(Content.decode(unpadMessage(bytes)), { longs: Number }) as ContentFields;
  }
}
