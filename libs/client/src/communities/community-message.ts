// A community post's `data` (client.md 2.3): a padded Content protobuf with a DataMessage, not
// encrypted. `signature` is the poster's signature over those exact bytes, made with the blinded
// key of this server; readers verify it against the post's session_id (the server does not).
import { blind15Sign, fromHex, padMessage, unpadMessage, verifyBlindedSignature, verifyEd25519, x25519PublicKeyToEd25519 } from '@starling/crypto';
import { AttachmentPointerFields, Content, ContentFields } from '../messaging/session-protos';

export interface SignedPost {
  data: Uint8Array;
  signature: Uint8Array;
}

export interface PostContent {
  text: string;
  displayName?: string;
  /** Pointers to files uploaded to the room (encrypted, not padded: client.md 5.1). */
  attachments?: AttachmentPointerFields[];
}

/** Encodes and signs a text post as `secret`'s 15-blinded id on the server `serverPk`. */
export function encodePost(secret: Uint8Array, serverPk: Uint8Array, post: PostContent, sentAtMs: number): SignedPost {
  const content: ContentFields = {
    dataMessage: {
      body: post.text,
      ...(post.attachments?.length ? { attachments: post.attachments } : {}),
      ...(post.displayName ? { profile: { displayName: post.displayName } } : {}),
    },
    sigTimestamp: sentAtMs,
  };
  const data = padMessage(Content.encode(Content.fromObject(content)).finish());
  return { data, signature: blind15Sign(secret, serverPk, data) };
}

export interface DecodedPost {
  text: string;
  displayName?: string;
  attachments: AttachmentPointerFields[];
}

/** The text of a post, or null when `data` is no Content with a DataMessage. */
export function decodePost(data: Uint8Array): DecodedPost | null {
  try {
    const content = Content.toObject(Content.decode(unpadMessage(data)), { longs: Number }) as ContentFields;
    const message = content.dataMessage;
    if (!message) return null;
    return { text: message.body ?? '', displayName: message.profile?.displayName || undefined, attachments: message.attachments ?? [] };
  } catch {
    return null;
  }
}

/** True when `signature` signs `data` as `sessionId` (15/25 blinded ids directly, 05 via XEd25519). */
export function verifyPost(sessionId: string, data: Uint8Array, signature: Uint8Array): boolean {
  try {
    if (signature.length !== 64) return false;
    if (sessionId.startsWith('05')) {
      // The X25519 key fixes the Ed25519 key up to its sign bit; both signs belong to its holder.
      const positive = x25519PublicKeyToEd25519(fromHex(sessionId.slice(2), 32));
      const negative = Uint8Array.from(positive);
      negative[31] |= 0x80;
      return verifyEd25519(signature, data, positive) || verifyEd25519(signature, data, negative);
    }
    return verifyBlindedSignature(sessionId, signature, data);
  } catch {
    return false;
  }
}
