// An encrypted notice as the dispatcher makes one, and the reading of a delivered payload with the
// subscriber's key (what an app does with enc_payload).
import { randomBytes } from 'crypto';
import { decodePushNotice, decryptPushNotice, encodePushNotice, encryptPushNotice, type PushNotice } from '@starling/crypto';
import type { OutgoingNotice } from '../../src/delivery/provider';

export const noticeKey = randomBytes(32);

export function testNotice(hash = randomBytes(32).toString('base64').slice(0, 43), expiryMs = Date.now() + 3_600_000): OutgoingNotice & { hash: string } {
  const plaintext = encodePushNotice(
    { account: '05' + 'ab'.repeat(32), hash, namespace: 0, timestampMs: Date.now(), expiryMs },
    Buffer.from('ciphertext of a Session message'),
  );
  return { hash, encPayload: encryptPushNotice(plaintext, noticeKey), expiryMs };
}

/** Reads {"enc_payload", "spns"} out of a delivered JSON body. */
export function openDelivered(json: { enc_payload?: unknown }, key: Uint8Array = noticeKey): PushNotice {
  return decodePushNotice(decryptPushNotice(Buffer.from(String(json.enc_payload), 'base64'), key));
}
