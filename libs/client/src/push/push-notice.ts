// What arrives at a UnifiedPush endpoint or a bot's webhook: the JSON {"enc_payload", "spns"}
// the push server POSTs. readPushNotice opens it with the subscription's notice key, giving the
// stored message's account, hash, namespace and times, and the message itself when it was small
// enough to ride along (then it decrypts like a message retrieved from the swarm).
import { decodePushNotice, decryptPushNotice, fromBase64, type PushNotice } from '@starling/crypto';
import { ClientError } from '../network/errors';

export function readPushNotice(body: Uint8Array | string, encKey: Uint8Array): PushNotice {
  let json: unknown;
  try {
    json = JSON.parse(typeof body === 'string' ? body : Buffer.from(body).toString('utf8'));
  } catch {
    throw new ClientError('a push notice is JSON: {"enc_payload": ..., "spns": 1}', 'input');
  }
  const payload = (json as { enc_payload?: unknown } | null)?.enc_payload;
  if (typeof payload !== 'string') throw new ClientError('the push notice has no "enc_payload"', 'input');
  let bytes: Uint8Array;
  try {
    bytes = fromBase64(payload);
  } catch {
    throw new ClientError('the push notice\'s "enc_payload" is not base64', 'input');
  }
  return decodePushNotice(decryptPushNotice(bytes, encKey));
}
