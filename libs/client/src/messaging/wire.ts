// A 1:1 message on the wire (client.md 2.1-2.2): Content, padded, signed and sealed to the
// recipient, inside an Envelope, inside a WebSocketMessage; stored base64 in namespace 0.
import {
  decryptIncoming,
  encryptForRecipient,
  padMessage,
  unpadMessage,
  X25519KeyPair,
} from '@starling/crypto';
import Long from 'long';
import {
  Content,
  ContentFields,
  Envelope,
  ENVELOPE_SESSION_MESSAGE,
  WEBSOCKET_REQUEST,
  WebSocketMessage,
} from './session-protos';

export interface IncomingMessage {
  senderSessionId: string;
  /** Envelope timestamp (ms): when the sender sent it, in network time. */
  sentAtMs: number;
  content: ContentFields;
}

/** The bytes to store in `recipient`'s swarm. `senderSecret` is the sender's Ed25519 secret. */
export function encodeMessage(senderSecret: Uint8Array, recipientSessionId: string, content: ContentFields, sentAtMs: number): Uint8Array {
  const contentBytes = Content.encode(Content.fromObject({ ...content, sigTimestamp: sentAtMs })).finish();
  const sealed = encryptForRecipient(senderSecret, recipientSessionId, padMessage(contentBytes));
  const envelope = Envelope.encode(Envelope.fromObject({ type: ENVELOPE_SESSION_MESSAGE, timestamp: sentAtMs, content: sealed })).finish();
  return WebSocketMessage.encode(
    WebSocketMessage.fromObject({ type: WEBSOCKET_REQUEST, request: { verb: '', path: '', body: envelope, requestId: 0 } }),
  ).finish();
}

export class MessageRejected extends Error {}

/**
 * Opens a stored message addressed to `recipient`. Throws MessageRejected for anything that is
 * not a valid message for us: not a request, not sealed to us, bad signature, replayed envelope.
 */
export function decodeMessage(recipient: X25519KeyPair, data: Uint8Array): IncomingMessage {
  let envelope: { type?: number; timestamp?: Long | number; content?: Uint8Array };
  try {
    const wsm = WebSocketMessage.toObject(WebSocketMessage.decode(data)) as { type?: number; request?: { body?: Uint8Array } };
    if (wsm.type !== WEBSOCKET_REQUEST || !wsm.request?.body) throw new MessageRejected('not a message request');
    envelope = Envelope.toObject(Envelope.decode(wsm.request.body)) as typeof envelope;
  } catch (err) {
    if (err instanceof MessageRejected) throw err;
    throw new MessageRejected(`not a Session message (${(err as Error).message})`);
  }
  if (envelope.type !== ENVELOPE_SESSION_MESSAGE || !envelope.content) throw new MessageRejected('not a 1:1 message');
  let opened;
  try {
    opened = decryptIncoming(recipient, envelope.content);
  } catch (err) {
    throw new MessageRejected((err as Error).message);
  }
  let content: ContentFields & { sigTimestamp?: Long | number };
  try {
    content = Content.toObject(Content.decode(unpadMessage(opened.plaintext)), { longs: Number }) as ContentFields;
  } catch (err) {
    throw new MessageRejected(`unreadable content (${(err as Error).message})`);
  }
  const sentAtMs = Number(envelope.timestamp);
  // The envelope is not signed, the content is: they must agree, or the envelope was replayed.
  if (content.sigTimestamp !== undefined && Number(content.sigTimestamp) !== sentAtMs) {
    throw new MessageRejected('envelope timestamp does not match the signed content');
  }
  return { senderSessionId: opened.senderSessionId, sentAtMs, content };
}
