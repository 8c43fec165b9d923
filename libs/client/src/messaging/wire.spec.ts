import { generateIdentity, ready } from '@starling/crypto';
import { Envelope, EXPIRATION_TYPE, WebSocketMessage } from './session-protos';
import { decodeMessage, encodeMessage, MessageRejected } from './wire';

describe('1:1 messages on the wire', () => {
  beforeAll(() => ready());

  it('round-trips text, profile, sync target and disappearing fields, naming the sender', () => {
    const alice = generateIdentity().identity;
    const bob = generateIdentity().identity;
    const content = {
      dataMessage: { body: 'hello 🎂', profile: { displayName: 'Alice' }, syncTarget: bob.sessionId },
      expirationType: EXPIRATION_TYPE.afterRead,
      expirationTimer: 300,
    };
    const data = encodeMessage(alice.ed25519.secretKey, bob.sessionId, content, 1700000000123);
    const opened = decodeMessage(bob.x25519, data);
    expect(opened.senderSessionId).toBe(alice.sessionId);
    expect(opened.sentAtMs).toBe(1700000000123);
    expect(opened.content).toMatchObject({ ...content, sigTimestamp: 1700000000123 });
  });

  it('rejects a message sealed to someone else, a flipped byte, and a replayed envelope timestamp', () => {
    const alice = generateIdentity().identity;
    const bob = generateIdentity().identity;
    const carol = generateIdentity().identity;
    const data = encodeMessage(alice.ed25519.secretKey, bob.sessionId, { dataMessage: { body: 'x' } }, 1700000000000);
    expect(() => decodeMessage(carol.x25519, data)).toThrow(MessageRejected);

    const flipped = Uint8Array.from(data); // a copy: protobufjs hands out Buffers, whose slice() shares memory
    flipped[flipped.length - 1] ^= 0x80;
    expect(() => decodeMessage(bob.x25519, flipped)).toThrow(MessageRejected);

    const wsm = WebSocketMessage.toObject(WebSocketMessage.decode(data)) as { type: number; request: { body: Uint8Array } };
    const envelope = Envelope.toObject(Envelope.decode(wsm.request.body));
    const replayed = WebSocketMessage.encode(
      WebSocketMessage.fromObject({ ...wsm, request: { ...wsm.request, body: Envelope.encode(Envelope.fromObject({ ...envelope, timestamp: 1700000009999 })).finish() } }),
    ).finish();
    expect(() => decodeMessage(bob.x25519, replayed)).toThrow(/does not match the signed content/);
  });
});
